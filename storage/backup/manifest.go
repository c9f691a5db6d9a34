package backup

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Manifest limits: a decoder never does more work than these allow.
const (
	maxManifestSize = 64 << 20 // encrypted object
	maxItems        = 1 << 20
	maxNameLen      = 1024
	maxMetaEntries  = 64
	maxMetaKey      = 128
	maxMetaValue    = 4096
	manifestPrefix  = "snapshots/"
	dataPrefix      = "data/"
	idLen           = 32 // chunk id: HMAC-SHA256
)

type manifestBody struct {
	V     int               `json:"v"`
	ID    string            `json:"id"`
	Time  time.Time         `json:"time"`
	Meta  map[string]string `json:"meta,omitempty"`
	Items []manifestItem    `json:"items"`
}

type manifestItem struct {
	Name   string   `json:"name"`
	Size   int64    `json:"size"`
	Chunks []byte   `json:"chunks"` // concatenated 32-byte chunk ids, in order
	Sizes  []uint32 `json:"sizes"`  // plaintext size of each chunk
}

func (it manifestItem) chunk(i int) (name string, size uint32) {
	return dataPrefix + hex.EncodeToString(it.Chunks[i*idLen:(i+1)*idLen]), it.Sizes[i]
}

type manifestEnvelope struct {
	Body   json.RawMessage `json:"body"`
	Signer []byte          `json:"signer,omitempty"`
	Sig    []byte          `json:"sig,omitempty"`
}

func signedBytes(body []byte) []byte {
	return append([]byte("pigeon backup manifest v1\x00"), body...)
}

// encodeManifest signs (when sign is given) and returns the plaintext of a
// manifest object.
func encodeManifest(m manifestBody, sign ed25519.PrivateKey) ([]byte, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	env := manifestEnvelope{Body: body}
	if sign != nil {
		if len(sign) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("sign manifest: bad ed25519 private key length %d", len(sign))
		}
		env.Signer = sign.Public().(ed25519.PublicKey)
		env.Sig = ed25519.Sign(sign, signedBytes(body))
	}
	return json.Marshal(env)
}

// decodeManifest parses and checks the plaintext of the manifest object
// name. Structural damage wraps ErrCorrupt, a bad signature ErrTampered.
func decodeManifest(name string, plain []byte) (manifestBody, ed25519.PublicKey, error) {
	fail := func(sentinel error, format string, args ...any) (manifestBody, ed25519.PublicKey, error) {
		return manifestBody{}, nil, fmt.Errorf("manifest %s: "+format+": %w", append(append([]any{name}, args...), sentinel)...)
	}
	if len(plain) > maxManifestSize {
		return fail(ErrCorrupt, "too large")
	}
	var env manifestEnvelope
	if err := strictJSON(plain, &env); err != nil {
		return fail(ErrCorrupt, "malformed: %v", err)
	}
	var signer ed25519.PublicKey
	switch {
	case env.Signer == nil && env.Sig == nil:
	case len(env.Signer) == ed25519.PublicKeySize && len(env.Sig) == ed25519.SignatureSize:
		if !ed25519.Verify(env.Signer, signedBytes(env.Body), env.Sig) {
			return fail(ErrTampered, "bad signature")
		}
		signer = ed25519.PublicKey(env.Signer)
	default:
		return fail(ErrCorrupt, "malformed signature")
	}
	var m manifestBody
	if err := strictJSON(env.Body, &m); err != nil {
		return fail(ErrCorrupt, "malformed body: %v", err)
	}
	if m.V != formatVersion {
		return fail(ErrCorrupt, "format version %d, this Pigeon reads %d (update Pigeon)", m.V, formatVersion)
	}
	if manifestPrefix+m.ID != name {
		return fail(ErrTampered, "names snapshot %q (objects were renamed)", m.ID)
	}
	if len(m.Items) > maxItems {
		return fail(ErrCorrupt, "%d items", len(m.Items))
	}
	if len(m.Meta) > maxMetaEntries {
		return fail(ErrCorrupt, "%d meta entries", len(m.Meta))
	}
	for k, v := range m.Meta {
		if len(k) > maxMetaKey || len(v) > maxMetaValue {
			return fail(ErrCorrupt, "meta entry too long")
		}
	}
	seen := make(map[string]bool, len(m.Items))
	for _, it := range m.Items {
		if err := checkItemName(it.Name); err != nil {
			return fail(ErrCorrupt, "%v", err)
		}
		if seen[it.Name] {
			return fail(ErrCorrupt, "item %q twice", it.Name)
		}
		seen[it.Name] = true
		if len(it.Chunks)%idLen != 0 || len(it.Chunks)/idLen != len(it.Sizes) {
			return fail(ErrCorrupt, "item %q: chunk list malformed", it.Name)
		}
		var sum int64
		for _, s := range it.Sizes {
			if s == 0 || s > maxChunkSize {
				return fail(ErrCorrupt, "item %q: chunk size %d", it.Name, s)
			}
			sum += int64(s)
		}
		if sum != it.Size {
			return fail(ErrCorrupt, "item %q: size %d but chunks add up to %d", it.Name, it.Size, sum)
		}
	}
	return m, signer, nil
}

// strictJSON decodes exactly one JSON value, refusing unknown fields and
// trailing data.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the value")
	}
	return nil
}

func checkItemName(n string) error {
	if n == "" || len(n) > maxNameLen || !utf8.ValidString(n) {
		return fmt.Errorf("item name %q: empty, longer than %d bytes or not UTF-8", n, maxNameLen)
	}
	return nil
}

func newSnapshotID(t time.Time) (string, error) {
	var r [4]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(r[:]), nil
}
