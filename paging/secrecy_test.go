package paging_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/paging"
)

// A sender's secrets show in no print and no encoding of it: a program
// that logs its configuration logs "[secret]".
func TestSecretsHidden(t *testing.T) {
	senders := []any{
		paging.Ntfy{Tokens: map[string]paging.Secret{"https://ntfy.example.be": ntfyToken}},
		paging.Matrix{Homeserver: "https://matrix.example.be", Token: matrixToken, Rooms: map[string]string{"@bob:example.be": "!r:example.be"}},
		paging.Webhook{Secret: webhookSecret},
		paging.SMSGate{BaseURL: "https://api.sms-gate.app/3rdparty/v1", User: "cell", Password: smsPassword},
		paging.SMTP{Host: "mail.example.be", From: "ccj@example.be", Username: "ccj", Password: smtpPassword},
		paging.Secret(ntfyToken),
		&struct{ S paging.Secret }{paging.Secret(matrixToken)},
	}
	for _, s := range senders {
		var texts []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			texts = append(texts, fmt.Sprintf(verb, s))
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%T: %v", s, err)
		}
		texts = append(texts, string(b))
		for _, text := range texts {
			for _, secret := range []string{ntfyToken, matrixToken, webhookSecret, smsPassword, smtpPassword} {
				if strings.Contains(text, secret) {
					t.Errorf("%T shows a secret: %s", s, text)
				}
				// Nor in hexadecimal.
				if strings.Contains(strings.ToLower(text), fmt.Sprintf("%x", secret)) {
					t.Errorf("%T shows a secret in hexadecimal: %s", s, text)
				}
			}
		}
		if !strings.Contains(fmt.Sprintf("%+v", s), "[secret]") {
			t.Errorf("%T: %+v says nothing of its secret", s, s)
		}
	}
}
