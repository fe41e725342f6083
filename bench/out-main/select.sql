\set id random(1, 10000)
SELECT * FROM pgbench_rows WHERE id = :id;
