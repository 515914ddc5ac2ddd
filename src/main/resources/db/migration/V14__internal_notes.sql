-- Internal notes: agents' messages to each other inside a conversation, never shown to the
-- customer or sent to a model; who wrote each person's message; and whether the customer found
-- a bot answer helpful.
alter table message drop constraint message_role_check;
alter table message add constraint message_role_check check (role in ('customer', 'bot', 'agent', 'system', 'note'));
alter table message add column author varchar(200);
alter table message add column feedback varchar(10) check (feedback in ('helpful', 'unhelpful'));
