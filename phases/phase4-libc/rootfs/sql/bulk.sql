-- Many rows through one transaction, an index built afterwards, and
-- aggregates over them: the B-tree splits pages and the file grows.
CREATE TABLE IF NOT EXISTS numbers (n INTEGER PRIMARY KEY, sq INTEGER, root REAL, word TEXT);
BEGIN;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 5000)
  INSERT INTO numbers SELECT n, n * n, n / 7.0, printf('w%05d', (n * 7919) % 5000) FROM seq;
COMMIT;
CREATE INDEX numbers_by_word ON numbers(word);
SELECT count(*), sum(sq), printf('%.6f', sum(root)), min(word), max(word) FROM numbers;
SELECT n, word FROM numbers WHERE word = 'w04321';
SELECT n % 10 AS digit, count(*), sum(n) FROM numbers GROUP BY digit ORDER BY digit;
DELETE FROM numbers WHERE n % 3 = 0;
SELECT count(*), total(root) FROM numbers;
PRAGMA integrity_check;
