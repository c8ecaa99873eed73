package main

import (
	"errors"
	"flag"
	"net/http"
	"os"

	"github.com/CarikBot/carik-go/carik"
)

// Environment variables the verification flags fall back to.
const (
	envSecret = "CARIK_WEBHOOK_SECRET"
	envToken  = "CARIK_WEBHOOK_TOKEN"
)

// authFlags are the verification flags listen, send and sign share. Secrets come from the
// environment unless a flag names one; they are never printed.
type authFlags struct {
	secret      string
	tokenHeader string
	token       string
}

func (a *authFlags) register(fs *flagSet) {
	fs.StringVar(&a.secret, "secret", "", "Standard Webhooks secret (`whsec_...`); default $"+envSecret)
	fs.StringVar(&a.tokenHeader, "token-header", "token", "`H`, the header carrying --token")
	fs.StringVar(&a.token, "token", "", "shared token `T` sent in --token-header, instead of --secret; default $"+envToken)
}

// resolve fills the secret or the token from the environment when neither flag was given
// (--secret= given empty turns the environment off), and checks that only one is set.
func (a *authFlags) resolve(fs *flagSet) error {
	explicit := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "secret" || f.Name == "token" {
			explicit = true
		}
	})
	if !explicit {
		a.secret, a.token = os.Getenv(envSecret), os.Getenv(envToken)
		if a.secret != "" && a.token != "" {
			return errors.New("both $" + envSecret + " and $" + envToken + " are set; choose with --secret or --token")
		}
	}
	if a.secret != "" && a.token != "" {
		return errors.New("give --secret or --token, not both")
	}
	if a.secret != "" {
		if _, err := carik.NewSigner(a.secret); err != nil {
			return errors.New("the secret is not whsec_ followed by base64")
		}
	}
	return nil
}

// resolveSecret is resolve for a command that only signs (sign): the secret comes from
// --secret or $CARIK_WEBHOOK_SECRET; a token in the environment is not its business.
func (a *authFlags) resolveSecret(fs *flagSet) error {
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "secret" })
	if !explicit {
		a.secret = os.Getenv(envSecret)
	}
	if a.secret != "" {
		if _, err := carik.NewSigner(a.secret); err != nil {
			return errors.New("the secret is not whsec_ followed by base64")
		}
	}
	return nil
}

func (a *authFlags) enabled() bool { return a.secret != "" || a.token != "" }

// receiverOption returns how a receiver verifies requests under these flags.
func (a *authFlags) receiverOption() (carik.ReceiverOption, error) {
	switch {
	case a.secret != "":
		v, err := carik.StandardWebhooks(a.secret)
		if err != nil {
			return nil, err
		}
		return carik.WithVerifier(v), nil
	case a.token != "":
		return carik.WithVerifier(carik.TokenHeader(a.tokenHeader, a.token)), nil
	default:
		return carik.WithoutVerification(), nil
	}
}

// header returns the headers that authenticate body under these flags.
func (a *authFlags) header(body []byte) (http.Header, error) {
	switch {
	case a.secret != "":
		s, err := carik.NewSigner(a.secret)
		if err != nil {
			return nil, err
		}
		return s.Sign(body), nil
	case a.token != "":
		h := http.Header{}
		h.Set(a.tokenHeader, a.token)
		return h, nil
	default:
		return http.Header{}, nil
	}
}
