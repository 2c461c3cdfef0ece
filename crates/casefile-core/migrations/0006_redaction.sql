-- 0006: areas of an image the player hides in copies sent out (card numbers, passport numbers), in the
-- image's own pixel space. The original blob never changes; each change is logged in custody_log.
CREATE TABLE redaction_boxes (
    item_id INTEGER NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    x       INTEGER NOT NULL CHECK (x >= 0),
    y       INTEGER NOT NULL CHECK (y >= 0),
    width   INTEGER NOT NULL CHECK (width > 0),
    height  INTEGER NOT NULL CHECK (height > 0),
    PRIMARY KEY (item_id, position)
) STRICT;
