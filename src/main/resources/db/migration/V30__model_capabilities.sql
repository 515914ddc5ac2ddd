-- What each probed model can do beyond text, beside its probe result so the gateway reads it without the JSON:
-- null is not known (probed before capabilities were, or the check could not tell).
alter table model_probe
    add column tools     boolean,
    add column json_mode boolean,
    add column images    boolean;
