//! Integration tests: a whole Frontline per test on `127.0.0.1:0`, real HTTP and WebSocket
//! clients, SQLite files, and PostgreSQL and NATS where the environment provides them
//! (always in CI).

mod auth;
mod automation;
mod channels;
mod chat;
mod contract;
mod crash;
mod faults;
mod fields;
mod first_day;
mod invitations;
mod lifecycle;
mod limits;
mod mail;
mod matrix;
mod moderation;
mod multinode;
mod ops;
mod queues;
mod refusals;
mod resume;
mod segments;
mod shutdown;
mod supervision;
mod support;
mod telegram;
mod tools;
mod trust;
mod webapi;
mod webhooks;
mod workspaces;
