package sqlite

import "database/sql"

// DB returns s's database, for the tests.
func DB(s *Store) *sql.DB { return s.db }
