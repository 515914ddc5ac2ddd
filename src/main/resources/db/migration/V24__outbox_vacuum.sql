-- The relay reads unpublished events from the head of a partial index that every publication
-- leaves a dead entry in, until vacuum removes them. The table keeps days of published events,
-- so the default trigger (20% of its rows dead) would let millions of dead entries pile up in
-- front of the few live ones; vacuum it after 1% instead.
alter table outbox_event set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 10000);
