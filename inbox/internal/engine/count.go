package engine

import (
	"context"
	"database/sql"
	"fmt"
)

// Count runs query (state, count) with [Kind] as its one argument.
func Count(ctx context.Context, db *sql.DB, query string) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, query, Kind)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: stats: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("carik: inbox: stats: %w", err)
		}
		counts[state] = n
	}
	return counts, rows.Err()
}
