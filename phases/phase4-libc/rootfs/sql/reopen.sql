-- Opened again: what bulk.sql committed is in the file.
SELECT count(*), max(n) FROM numbers;
PRAGMA page_size;
VACUUM;
SELECT count(*) FROM numbers WHERE word LIKE 'w0%';
DROP TABLE numbers;
SELECT count(*) FROM sqlite_master;
