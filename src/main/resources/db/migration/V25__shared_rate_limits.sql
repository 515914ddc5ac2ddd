-- Token buckets every replica shares (bucket4j's PostgreSQL layout): failed logins per account
-- and per source address, widget traffic per source address. Keys name no tenant data; a bucket
-- expires once it would be full again, and expired rows are removed in batches.
create table rate_limit_bucket (
    id         varchar(300) primary key,
    state      bytea,
    expires_at bigint
);
create index rate_limit_bucket_expiry_idx on rate_limit_bucket (expires_at);
