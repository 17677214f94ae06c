CREATE TABLE storetest_things (id VARCHAR(26) NOT NULL PRIMARY KEY, item TEXT NOT NULL REFERENCES work_items (id));
