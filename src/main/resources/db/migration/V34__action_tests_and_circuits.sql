-- An admin's test of an action is recorded like the assistant's calls, marked so the two can be told apart;
-- a call skipped because the action's circuit breaker is open is recorded with its own outcome.
alter table action_call add column test boolean not null default false;
alter table action_call drop constraint action_call_outcome_check;
alter table action_call add constraint action_call_outcome_check
    check (outcome in ('ok', 'refused', 'invalid_arguments', 'timeout', 'http_status', 'invalid_json', 'too_large',
                       'unreachable', 'circuit_open', 'pending', 'confirmed', 'declined', 'expired'));
