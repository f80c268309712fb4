package paging

import (
	"context"
	"mime"
	"net/http"
	"strings"

	"github.com/ccjkit/ccjkit/ccj"
)

// Ntfy sends pages to ntfy topics (ccj.Ntfy channels), by ntfy's
// documented publish API (https://docs.ntfy.sh/publish/ [V]): an HTTP
// POST to the topic's URL — the channel's value, server and topic,
// "https://ntfy.example.be/ccj-alice-7f3a" — whose body is the message,
// with these headers:
//
//   - Title: Page.Title, encoded as an RFC 2047 encoded-word when it is
//     not ASCII (ntfy decodes Title, Message and Tags so since 2.4.0; an
//     HTTP header carries no UTF-8 reliably);
//   - Priority: 5 ("max"/"urgent": long vibration bursts and a pop-over
//     notification, the level that rings a phone) for a new request and an
//     escalation, 4 ("high") for a reminder;
//   - Tags: rotating_light (new), sos (escalation) or hourglass
//     (reminder), emoji shortcodes ntfy shows before the title;
//   - Authorization: Bearer and the access token, when Tokens has one for
//     the topic's server (ntfy's access tokens, "tk_…").
//
// ntfy answers 200 with the message as JSON. 429 (rate limited), 5xx and
// a timeout are tried again; other statuses are Rejected. ntfy has no
// idempotency key: a retry after a timeout the server did receive may
// ring twice, which the package prefers to not ringing.
//
// An ntfy topic on a public server is readable by anyone who knows its
// name: use a server of the cell's, or a topic name as unguessable as a
// password, and access control where the server offers it.
type Ntfy struct {
	// Tokens maps a server's origin, "https://ntfy.example.be" (scheme,
	// host and port as in the topic's URL), to the access token sent to
	// it. A token is sent to its own server only.
	Tokens map[string]Secret
	// Client is the HTTP client; nil means one that follows no redirect.
	Client *http.Client
}

// Send publishes p to the topic of channel to. The channel is a
// ccj.Ntfy one whose value is an https URL (http only to this machine).
func (n Ntfy) Send(ctx context.Context, to ccj.Channel, p Page, _ Key) error {
	if to.Kind != ccj.Ntfy {
		return misconfigured("ntfy", "the channel is not an ntfy topic")
	}
	u, err := checkURL("ntfy", "the topic's address", to.Value)
	if err != nil {
		return err
	}
	if strings.Trim(u.Path, "/") == "" || u.RawQuery != "" || u.ForceQuery {
		return misconfigured("ntfy", "the topic's address names no topic, or has a query (which would override the page's headers)")
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(p.Text()))
	if err != nil {
		return misconfigured("ntfy", "the topic's address cannot be requested")
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("Title", mime.BEncoding.Encode("utf-8", p.Title()))
	req.Header.Set("Priority", ntfyPriority(p.Kind))
	req.Header.Set("Tags", ntfyTags(p.Kind))
	if tok, ok := n.Tokens[u.Scheme+"://"+u.Host]; ok && tok != "" {
		req.Header.Set("Authorization", "Bearer "+string(tok))
	}
	_, _, err = do(ctx, "ntfy", n.Client, req)
	return err
}

// ntfyPriority is the ntfy priority of a kind of page: 5 rings.
func ntfyPriority(k Kind) string {
	if k == Reminder {
		return "4"
	}
	return "5"
}

// ntfyTags is the tag (an emoji shortcode) of a kind of page.
func ntfyTags(k Kind) string {
	switch k {
	case Escalation:
		return "sos"
	case Reminder:
		return "hourglass"
	}
	return "rotating_light"
}
