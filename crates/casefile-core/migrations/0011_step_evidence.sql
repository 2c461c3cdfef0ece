-- 0011: evidence items linked directly to the ladder's recorded steps ("I sent the complaint": the
-- email that carried it, the screenshot of the form). A link goes with its step or its item.
CREATE TABLE ladder_step_evidence (
    step_id INTEGER NOT NULL REFERENCES ladder_steps (id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
    PRIMARY KEY (step_id, item_id)
) STRICT;

CREATE INDEX ladder_step_evidence_by_item ON ladder_step_evidence (item_id);
