//! SSH transport (russh): host key, authentication, pty and exec channels.
