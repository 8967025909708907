-- Reads what schema.sql left in the database file: joins, aggregates,
-- grouping, ordering, text functions, floats, printf, the index.
SELECT c.name, p.title, o.qty, o.qty * p.price AS total
  FROM orders o JOIN customer c ON c.id = o.customer JOIN product p ON p.id = o.product
  ORDER BY c.name, p.title;

SELECT c.name, count(o.id), sum(o.qty * p.price), avg(p.price), max(p.price), min(p.price)
  FROM customer c LEFT JOIN orders o ON o.customer = c.id LEFT JOIN product p ON p.id = o.product
  GROUP BY c.id ORDER BY c.id;

SELECT coalesce(city, '(none)'), upper(name), length(name), substr(name, 2, 3), name LIKE '%a%'
  FROM customer ORDER BY name DESC;

SELECT printf('%08.3f|%-10s|%5d|%e|%x', price, title, id, price, id * 255) FROM product ORDER BY price;
SELECT printf('%.2f', sum(price)), total(price), round(avg(price), 4), 1.0 / 3, 2.0 * 0.1, 1e300 * 10, -0.0
  FROM product;
SELECT 7 / 2, 7 % 3, 7.0 / 2, cast('12.5abc' AS REAL), cast(3.99 AS INTEGER), abs(-4.5), typeof(1.0), typeof('x'), typeof(NULL);

SELECT title, price FROM product WHERE price BETWEEN 1 AND 100 ORDER BY price DESC;
SELECT group_concat(title, ', ') FROM (SELECT title FROM product ORDER BY title);
SELECT customer, count(*) FROM orders GROUP BY customer HAVING count(*) > 2 ORDER BY customer;

-- The index is used for a lookup by customer.
EXPLAIN QUERY PLAN SELECT product FROM orders WHERE customer = 2;
SELECT product, qty FROM orders WHERE customer = 2 ORDER BY product;

-- Window functions, a CTE, a recursive CTE.
SELECT name, joined, rank() OVER (ORDER BY joined) FROM customer ORDER BY joined;
WITH spend AS (SELECT customer, sum(qty) AS n FROM orders GROUP BY customer)
  SELECT c.name, s.n FROM spend s JOIN customer c ON c.id = s.customer ORDER BY s.n DESC, c.name;
WITH RECURSIVE fib(a, b, n) AS (SELECT 0, 1, 1 UNION ALL SELECT b, a + b, n + 1 FROM fib WHERE n < 20)
  SELECT group_concat(a, ' ') FROM fib;

-- Dates (fixed, in UTC), blobs, hex, quoting.
SELECT date('2024-02-28', '+1 day'), datetime(1700000000, 'unixepoch'), strftime('%Y-%j %H:%M', '2023-12-31 23:59:59'), julianday('2000-01-01');
SELECT x'cafe', hex('vibix'), quote('it''s'), length(zeroblob(16)), unicode('€'), char(72, 105);

-- An update in a transaction, committed; then read back.
BEGIN;
UPDATE product SET price = round(price * 1.1, 2) WHERE price < 50;
INSERT INTO orders (customer, product, qty) VALUES (5, 3, 2);
COMMIT;
SELECT title, price FROM product ORDER BY id;
SELECT count(*), sum(qty) FROM orders;
SELECT * FROM nosuchtable;
