-- What the bot has spent in each conversation, kept on the conversation's row as answers are
-- stored: a turn checks the per-conversation limits on the row it locks anyway, instead of
-- summing the conversation's messages on every turn.
alter table conversation add column bot_turns integer not null default 0,
                         add column bot_tokens bigint not null default 0;

-- The backfill reads every tenant's rows (row-level security applies to the table's owner too).
select set_config('switchboard.platform', 'on', true);
update conversation c set bot_turns = spent.turns, bot_tokens = spent.tokens
from (select tenant_id, conversation_id, count(*) as turns,
             sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) as tokens
      from message where role = 'bot' group by tenant_id, conversation_id) spent
where c.tenant_id = spent.tenant_id and c.id = spent.conversation_id;
