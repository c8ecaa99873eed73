//go:build goexperiment.jsonv2

package benchmark

import (
	"encoding/json/jsontext"
	"errors"
)

func init() {
	jsonv2 = &Decoder{"jsonv2_jsontext_strict_check", "encoding/json/v2's jsontext.Value.IsValid: syntax, UTF-8, duplicate names; no decoding, no schema",
		func(Fixture) func([]byte) error {
			return func(body []byte) error {
				if !jsontext.Value(body).IsValid() {
					return errors.New("invalid JSON")
				}
				return nil
			}
		}}
}
