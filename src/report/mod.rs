pub mod inspections;
