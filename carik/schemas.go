package carik

import (
	"sync"

	"github.com/CarikBot/carik-go/internal/validate"
	"github.com/CarikBot/carik-go/schema"
)

// The compiled webhook schema of each mode, built on first use from the embedded files.
var (
	lenientValidator = sync.OnceValues(func() (*validate.Validator, error) {
		return validate.Compile(schema.FS, schema.BaseURI, schema.WebhookFile, nil)
	})
	strictValidator = sync.OnceValues(func() (*validate.Validator, error) {
		return validate.Compile(schema.FS, schema.BaseURI, schema.WebhookFile, schema.Strict)
	})
)

func validatorFor(strict bool) (*validate.Validator, error) {
	if strict {
		return strictValidator()
	}
	return lenientValidator()
}
