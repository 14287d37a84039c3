//! dutydesk: the duty desk of a government–enterprise liaison platform (政企交流平台).

pub mod bench;
pub mod calendar;
pub mod city;
pub mod cli;
pub mod config;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod i18n;
pub mod report;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod store;
pub mod tui;
