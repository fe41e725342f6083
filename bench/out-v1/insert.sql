INSERT INTO pgbench_rows (payload) VALUES ('{"answer": ["a"]}');
