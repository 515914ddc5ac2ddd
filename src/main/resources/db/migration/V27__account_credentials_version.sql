-- Counts an account's password changes: a console session carries the count it logged in with,
-- and a session from before a change no longer opens.
alter table account add column credentials_version integer not null default 0;
