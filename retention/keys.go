package retention

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/requisition/register"
)

// Opener opens what was sealed to a keyring: a [register.Identity] of a
// member or of the recovery identity, whose age key is in the
// [register.Keyring] the store wraps its keys to.
type Opener interface {
	Open(sealed []byte) ([]byte, error)
}

// keyStore keeps the store's data keys, each wrapped (age) to the
// keyring, one file per key in a directory of its own — outside the data
// directory and its backups, so that removing a key's file shreds every
// copy of the data sealed with it, backups included.
//
// A key file is named SCOPE.KID.key: the scope is a retention period
// ("2026-03-29.mappings") or a hold ("hold-..."), KID the key's random
// identity (16 hex digits), which the data files sealed with it name too.
type keyStore struct {
	dir    string
	ring   register.Keyring
	opener Opener
	cache  map[string][]byte // kid → key, for this Store's life
	aeads  map[string]cipher.AEAD
}

// keySize is an AES-256 key.
const keySize = 32

func keyName(scope, kid string) string { return scope + "." + kid + ".key" }

// newKID draws a key identity.
func newKID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func validKID(s string) bool {
	if len(s) != 16 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// create draws a key for scope, writes it wrapped to the keyring
// (durably: the file synced, renamed into place, the directory synced)
// and returns its identity and the key.
func (k *keyStore) create(scope string) (string, []byte, error) {
	if len(k.ring.Keys()) == 0 {
		return "", nil, fmt.Errorf("%w: no keyring to wrap the store's keys to", ErrConfig)
	}
	key := make([]byte, keySize)
	rand.Read(key)
	wrapped, err := k.ring.Seal(key)
	if err != nil {
		return "", nil, fmt.Errorf("%w: wrapping a key: %v", ErrIO, err)
	}
	kid := newKID()
	if err := durable.WriteFile(filepath.Join(k.dir, keyName(scope, kid)), wrapped, 0o600); err != nil {
		return "", nil, fmt.Errorf("%w: writing a key: %v", ErrIO, err)
	}
	k.cache[kid] = key
	return kid, key, nil
}

// key returns the key kid of scope, unwrapped by the opener.
func (k *keyStore) key(scope, kid string) ([]byte, error) {
	if key, ok := k.cache[kid]; ok {
		return key, nil
	}
	if k.opener == nil {
		return nil, fmt.Errorf("%w: the store was opened without an identity that opens its keys", ErrNoKey)
	}
	wrapped, err := os.ReadFile(filepath.Join(k.dir, keyName(scope, kid)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: the key of a file of %s is gone (destroyed)", ErrNoKey, scope)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: reading a key: %v", ErrIO, err)
	}
	key, err := k.opener.Open(wrapped)
	if err != nil || len(key) != keySize {
		return nil, fmt.Errorf("%w: the identity does not open the key of a file of %s", ErrNoKey, scope)
	}
	k.cache[kid] = key
	return key, nil
}

// aead returns the cipher of the key kid of scope, made once.
func (k *keyStore) aead(scope, kid string) (cipher.AEAD, error) {
	if a, ok := k.aeads[kid]; ok {
		return a, nil
	}
	key, err := k.key(scope, kid)
	if err != nil {
		return nil, err
	}
	a, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	if k.aeads == nil {
		k.aeads = map[string]cipher.AEAD{}
	}
	k.aeads[kid] = a
	return a, nil
}

// forget zeroes and drops the key kid and its cipher.
func (k *keyStore) forget(kid string) {
	if key, ok := k.cache[kid]; ok {
		clear(key)
		delete(k.cache, kid)
	}
	delete(k.aeads, kid)
}

// forgetAll zeroes and drops every key and cipher.
func (k *keyStore) forgetAll() {
	for kid := range k.cache {
		k.forget(kid)
	}
	k.cache, k.aeads = nil, nil
}

// kids lists the key identities of scope present in the directory.
func (k *keyStore) kids(scope string) ([]string, error) {
	all, err := k.list()
	if err != nil {
		return nil, err
	}
	return all[scope], nil
}

// list returns every scope's key identities.
func (k *keyStore) list() (map[string][]string, error) {
	ents, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, fmt.Errorf("%w: listing the keys: %v", ErrIO, err)
	}
	out := map[string][]string{}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".key")
		if !ok || e.IsDir() {
			continue
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 || !validKID(name[i+1:]) {
			continue
		}
		out[name[:i]] = append(out[name[:i]], name[i+1:])
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out, nil
}

// destroy removes the keys of scope whose identities are in kids (all of
// them when kids is nil): each file is overwritten with random bytes and
// synced before it is removed, then the directory is synced. It returns
// how many were destroyed.
func (k *keyStore) destroy(scope string, kids []string) (int, error) {
	have, err := k.kids(scope)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, kid := range have {
		if kids != nil && !slices.Contains(kids, kid) {
			continue
		}
		k.forget(kid)
		path := filepath.Join(k.dir, keyName(scope, kid))
		overwrite(path)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("%w: destroying a key: %v", ErrIO, err)
		}
		n++
	}
	if n > 0 {
		if err := durable.SyncDir(k.dir); err != nil {
			return n, fmt.Errorf("%w: destroying a key: %v", ErrIO, err)
		}
	}
	return n, nil
}

// overwrite fills a file with random bytes and syncs it: on a disk that
// writes in place the wrapped key's bytes are gone; on a copy-on-write
// filesystem or a flash disk they may survive in free blocks (see
// docs/security.md) — the wrapped key is still sealed to the keyring.
func overwrite(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return
	}
	junk := make([]byte, info.Size())
	rand.Read(junk)
	if _, err := f.WriteAt(junk, 0); err == nil {
		f.Sync()
	}
}
