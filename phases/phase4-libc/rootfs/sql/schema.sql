-- A small shop: tables with constraints, an index, rows inserted in a
-- transaction, text and floats; read back in the next file, after the
-- database was closed and opened again.
CREATE TABLE customer (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  city TEXT,
  joined TEXT
);
CREATE TABLE product (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  price REAL NOT NULL CHECK (price >= 0)
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer INTEGER NOT NULL REFERENCES customer(id),
  product INTEGER NOT NULL REFERENCES product(id),
  qty INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orders_by_customer ON orders(customer, product);

BEGIN;
INSERT INTO customer (name, city, joined) VALUES
  ('Ada', 'London', '2021-03-14'),
  ('Grace', 'New York', '2020-12-09'),
  ('Linus', 'Helsinki', '2019-08-25'),
  ('Margaret', 'Boston', '2022-01-01'),
  ('Ken', NULL, '2018-11-03');
INSERT INTO product (title, price) VALUES
  ('keyboard', 49.99), ('mouse', 19.5), ('monitor', 189.0),
  ('cable', 2.25), ('laptop', 1299.99), ('manual', 0.1);
INSERT INTO orders (customer, product, qty) VALUES
  (1, 1, 1), (1, 2, 2), (2, 3, 1), (2, 4, 10), (3, 5, 1),
  (3, 4, 3), (4, 6, 7), (1, 4, 1), (2, 2, 1), (3, 1, 2);
COMMIT;

-- Constraint failures: reported, and the data is unchanged.
INSERT INTO customer (name) VALUES ('Ada');
INSERT INTO product (title, price) VALUES ('refund', -1);
INSERT INTO customer (city) VALUES ('Nowhere');

-- A transaction rolled back leaves nothing.
BEGIN;
DELETE FROM orders;
INSERT INTO product (title, price) VALUES ('ghost', 1);
ROLLBACK;

SELECT count(*), sum(qty) FROM orders;
SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name;
