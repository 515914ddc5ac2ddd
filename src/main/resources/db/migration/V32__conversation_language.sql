-- The language the customer writes in (ISO 639-1), kept from their last message long enough to
-- tell it: a short "Hello?" after a German question keeps German. Null until a message tells it.
alter table conversation add column language varchar(8);
