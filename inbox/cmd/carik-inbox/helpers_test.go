package main

import (
	"context"
	"regexp"
	"testing"

	"github.com/CarikBot/carik-go/inbox/postgres"
)

func postgresOpen(t *testing.T, url string) (*postgres.Store, error) {
	s, err := postgres.Open(context.Background(), url)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func regexpMatch(pattern, s string) (bool, error) { return regexp.MatchString(pattern, s) }
