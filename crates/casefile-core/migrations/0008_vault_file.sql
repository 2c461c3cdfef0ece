-- 0008: the vault's description moved to vault.json beside the database, because the database is
-- now encrypted with a key derived from the vault key and the vault must be read before it opens.
DROP TABLE vault;
