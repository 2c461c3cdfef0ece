-- 0005: what the locker reads inside files: the item an attachment or mailbox message came from,
-- email headers, a photo's capture time and GPS flag, and a chat transcript's message count.
ALTER TABLE evidence_items ADD COLUMN parent_id INTEGER REFERENCES evidence_items (id) ON DELETE CASCADE;
ALTER TABLE evidence_items ADD COLUMN email_from TEXT;
ALTER TABLE evidence_items ADD COLUMN email_to TEXT;
ALTER TABLE evidence_items ADD COLUMN email_subject TEXT;
ALTER TABLE evidence_items ADD COLUMN email_date TEXT;
ALTER TABLE evidence_items ADD COLUMN message_id TEXT;
ALTER TABLE evidence_items ADD COLUMN captured_at TEXT;
ALTER TABLE evidence_items ADD COLUMN has_gps INTEGER NOT NULL DEFAULT 0 CHECK (has_gps IN (0, 1));
ALTER TABLE evidence_items ADD COLUMN chat_messages INTEGER;
