package register

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// Keyring holds the public keys of the cell's current members. Records
// sealed with it can be opened by any of them, with their own secret key,
// and by nobody else: a stolen disk or backup reveals nothing. Removing a
// member from the keyring shuts them out of everything sealed afterwards;
// what they could read before stays readable to them, as it was.
//
// Sealing uses filippo.io/age (X25519 recipients, ChaCha20-Poly1305
// payload): a well-reviewed, maintained format with multi-recipient
// encryption built in, which is exactly what a cell of several members
// needs and what we should not design ourselves.
type Keyring struct {
	recipients []age.Recipient
	keys       []string
}

// ErrKey is wrapped by errors about keys.
var ErrKey = errors.New("register: bad key")

// ErrSealed is returned when a sealed record cannot be opened with the
// identities given.
var ErrSealed = errors.New("register: cannot open sealed record")

// NewKeyring parses members' age public keys ("age1..."). At least one is
// needed. The error names the position of a bad key, never the key.
func NewKeyring(publicKeys ...string) (Keyring, error) {
	if len(publicKeys) == 0 {
		return Keyring{}, fmt.Errorf("%w: a keyring needs at least one member's key", ErrKey)
	}
	var k Keyring
	for i, s := range publicKeys {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
		if err != nil {
			return Keyring{}, fmt.Errorf("%w: public key %d is not an age X25519 recipient", ErrKey, i+1)
		}
		k.recipients = append(k.recipients, r)
		k.keys = append(k.keys, r.String())
	}
	return k, nil
}

// Keys returns the public keys in the keyring.
func (k Keyring) Keys() []string { return append([]string(nil), k.keys...) }

// Seal encrypts plaintext to every member of the keyring.
func (k Keyring) Seal(plaintext []byte) ([]byte, error) {
	if len(k.recipients) == 0 {
		return nil, fmt.Errorf("%w: empty keyring", ErrKey)
	}
	var b bytes.Buffer
	w, err := age.Encrypt(&b, k.recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Identity is a member's secret key, which opens what was sealed to them.
type Identity struct {
	id *age.X25519Identity
}

// ParseIdentity reads a member's age secret key ("AGE-SECRET-KEY-1...").
func ParseIdentity(secret string) (Identity, error) {
	id, err := age.ParseX25519Identity(strings.TrimSpace(secret))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: not an age X25519 secret key", ErrKey)
	}
	return Identity{id}, nil
}

// NewIdentity generates a member's key pair; store the secret (String)
// safely and give the public key (Public) to the keyring.
func NewIdentity() (Identity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return Identity{}, err
	}
	return Identity{id}, nil
}

// Public returns the public key to put in a keyring.
func (i Identity) Public() string { return i.id.Recipient().String() }

// Secret returns the secret key, for the member to keep.
func (i Identity) Secret() string { return i.id.String() }

// Open decrypts a sealed record with the member's identity.
func (i Identity) Open(sealed []byte) ([]byte, error) {
	if i.id == nil {
		return nil, fmt.Errorf("%w: no identity", ErrSealed)
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), i.id)
	if err != nil {
		return nil, fmt.Errorf("%w: not sealed to this member, or damaged", ErrSealed)
	}
	out, err := io.ReadAll(io.LimitReader(r, MaxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("%w: damaged", ErrSealed)
	}
	return out, nil
}
