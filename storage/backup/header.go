package backup

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/hkdf"
)

const (
	formatVersion   = 1
	configName      = "config"
	maxConfigSize   = 16 << 10
	headerSumPrefix = "\nsha256:"

	// Argon2id defaults: RFC 9106's second recommendation (t=3, 64 MiB)
	// with the memory doubled, since that took 0.09-0.18 s on the reference
	// machine; 128 MiB takes 0.17-0.34 s there, leaving room under the 2 s
	// budget for a loaded or slower machine (BenchmarkWrongKey).
	defaultArgonTime    = 3
	defaultArgonMemory  = 128 << 10 // KiB
	defaultArgonThreads = 4

	// Bounds a header must respect: a hostile store must not make us
	// allocate or compute without end, nor weaken what we wrote.
	minArgonMemory = 64 << 10 // KiB
	maxArgonMemory = 1 << 20  // KiB (1 GiB)
	maxArgonTime   = 16
	maxArgonCost   = 4 << 20 // time * memory, KiB passes
	maxArgonThread = 16

	masterKeyLen = 32
	keysPlainLen = masterKeyLen + 8 // master key, chunker polynomial
)

// Header is a repository's public configuration, the "config" object:
// format version, the kind of secret, the KDF and its parameters, a
// key-check value, and the master key (with the chunker polynomial)
// wrapped under the key-encryption key. Changing the passphrase rewrites
// only this object.
type Header struct {
	h headerJSON
}

type headerJSON struct {
	Version int       `json:"pigeon_backup"`
	RepoID  string    `json:"repo"`   // 16 random bytes, hex; HKDF salt for subkeys
	Secret  string    `json:"secret"` // "recovery-key" or "passphrase"
	KDF     kdfParams `json:"kdf"`
	Check   []byte    `json:"check"` // 16 bytes derived from the secret
	Keys    []byte    `json:"keys"`  // nonce || AES-256-GCM(kek, master key || polynomial)
	// How chunks are cut and named (chunk.go); absent in repositories
	// made before there was a choice. Bound to the keys (keysAD).
	Chunker string `json:"chunker,omitempty"`
	Naming  string `json:"naming,omitempty"`
}

type kdfParams struct {
	Alg     string `json:"alg"` // "argon2id" or "hkdf-sha256"
	Salt    []byte `json:"salt"`
	Time    uint32 `json:"t,omitempty"`
	Memory  uint32 `json:"m,omitempty"` // KiB
	Threads uint8  `json:"p,omitempty"`
}

// Marshal returns the bytes of the config object: the JSON body, then a
// line with its SHA-256 so accidental damage is told apart from a wrong key.
func (h Header) Marshal() []byte {
	body, err := json.Marshal(h.h)
	if err != nil {
		panic(err) // plain struct of strings, ints and bytes
	}
	sum := sha256.Sum256(body)
	return append(append(body, headerSumPrefix...), hex.EncodeToString(sum[:])+"\n"...)
}

// ParseHeader reads a config object. Malformed or damaged input wraps
// ErrCorrupt; parameters outside sane bounds are refused.
func ParseHeader(b []byte) (Header, error) {
	fail := func(format string, args ...any) (Header, error) {
		return Header{}, fmt.Errorf("config: "+format+": %w", append(args, ErrCorrupt)...)
	}
	if len(b) > maxConfigSize {
		return fail("%d bytes, more than %d", len(b), maxConfigSize)
	}
	i := bytes.LastIndex(b, []byte(headerSumPrefix))
	if i < 0 {
		return fail("no checksum line (not a Pigeon backup config?)")
	}
	body, sumHex := b[:i], bytes.TrimSuffix(b[i+len(headerSumPrefix):], []byte("\n"))
	sum := sha256.Sum256(body)
	want, err := hex.DecodeString(string(sumHex))
	if err != nil || subtle.ConstantTimeCompare(want, sum[:]) != 1 {
		return fail("checksum mismatch (the file was damaged; restore it from a copy)")
	}
	var h headerJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return fail("malformed: %v", err)
	}
	if h.Version != formatVersion {
		return fail("format version %d, this Pigeon reads %d (update Pigeon)", h.Version, formatVersion)
	}
	if id, err := hex.DecodeString(h.RepoID); err != nil || len(id) != 16 {
		return fail("bad repository id")
	}
	if len(h.Check) != 16 || len(h.Keys) != 12+keysPlainLen+16 || len(h.KDF.Salt) < 16 || len(h.KDF.Salt) > 64 {
		return fail("bad field sizes")
	}
	if err := h.format().check(); err != nil {
		return fail("%v", err)
	}
	switch {
	case h.Secret == kindRecovery.String() && h.KDF.Alg == "hkdf-sha256":
		if h.KDF.Time != 0 || h.KDF.Memory != 0 || h.KDF.Threads != 0 {
			return fail("hkdf takes no parameters")
		}
	case h.Secret == kindPassphrase.String() && h.KDF.Alg == "argon2id":
		k := h.KDF
		if k.Time < 1 || k.Time > maxArgonTime || k.Memory < minArgonMemory || k.Memory > maxArgonMemory ||
			k.Threads < 1 || k.Threads > maxArgonThread || uint64(k.Time)*uint64(k.Memory) > maxArgonCost {
			return fail("argon2id parameters out of bounds (t=%d m=%dKiB p=%d)", k.Time, k.Memory, k.Threads)
		}
	default:
		return fail("unknown secret kind %q with kdf %q", h.Secret, h.KDF.Alg)
	}
	return Header{h: h}, nil
}

// UsesRecoveryKey reports whether the repository is opened by a recovery
// key (else by a passphrase).
func (h Header) UsesRecoveryKey() bool { return h.h.Secret == kindRecovery.String() }

// derive stretches the secret: 32 bytes key-encryption key, 16 bytes check.
func (h Header) derive(s Secret) (kek, check []byte, err error) {
	if !s.valid() {
		return nil, nil, fmt.Errorf("open backup: no recovery key or passphrase given")
	}
	if s.kind.String() != h.h.Secret {
		if h.UsesRecoveryKey() {
			return nil, nil, fmt.Errorf("this backup is opened with a recovery key, not a passphrase: %w", ErrWrongKey)
		}
		return nil, nil, fmt.Errorf("this backup is opened with a passphrase, not a recovery key: %w", ErrWrongKey)
	}
	var root []byte
	switch h.h.KDF.Alg {
	case "argon2id":
		k := h.h.KDF
		root = argon2.IDKey(s.material, k.Salt, k.Time, k.Memory, k.Threads, 32)
	case "hkdf-sha256":
		root = hkdfBytes(s.material, h.h.KDF.Salt, "pigeon backup recovery root", 32)
	default:
		return nil, nil, fmt.Errorf("config: unknown kdf: %w", ErrCorrupt)
	}
	return hkdfBytes(root, nil, "pigeon backup kek", 32), hkdfBytes(root, nil, "pigeon backup check", 16), nil
}

// CheckSecret checks s against the key-check value, locally (no Target).
// A wrong secret wraps ErrWrongKey. With a passphrase it costs one
// Argon2id run (well under 2 s).
func (h Header) CheckSecret(s Secret) error {
	_, err := h.unwrap(s)
	return err
}

type repoKeys struct {
	master []byte
	poly   uint64
}

func (h Header) unwrap(s Secret) (repoKeys, error) {
	kek, check, err := h.derive(s)
	if err != nil {
		return repoKeys{}, err
	}
	if subtle.ConstantTimeCompare(check, h.h.Check) != 1 {
		return repoKeys{}, fmt.Errorf("open backup: %w", ErrWrongKey)
	}
	aead := newGCM(kek)
	plain, err := aead.Open(nil, h.h.Keys[:12], h.h.Keys[12:], h.keysAD())
	if err != nil {
		return repoKeys{}, fmt.Errorf("config: wrapped keys: %w; the config object was altered, restore it from a copy", ErrTampered)
	}
	return repoKeys{master: plain[:masterKeyLen], poly: binary.LittleEndian.Uint64(plain[masterKeyLen:])}, nil
}

func (h headerJSON) format() repoFormat { return repoFormat{Chunker: h.Chunker, Naming: h.Naming} }

// keysAD binds the wrapped keys to the header's fields: a changed field
// fails unwrap with ErrTampered. (The format fields are added only when
// set, so headers written before they existed still open.)
func (h Header) keysAD() []byte {
	ad := fmt.Sprintf("pigeon backup keys v%d %s %s", h.h.Version, h.h.RepoID, h.h.Secret)
	if f := h.h.format(); f != (repoFormat{}) {
		ad += fmt.Sprintf(" chunker=%s naming=%s", f.Chunker, f.Naming)
	}
	return []byte(ad)
}

// newHeader makes a header of a repository of format f that wraps keys
// under s. repoID is "" for a new repository (a random one is made).
func newHeader(s Secret, keys repoKeys, repoID string, f repoFormat) (Header, error) {
	if repoID == "" {
		id := make([]byte, 16)
		if _, err := io.ReadFull(rand.Reader, id); err != nil {
			return Header{}, err
		}
		repoID = hex.EncodeToString(id)
	}
	salt := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return Header{}, err
	}
	h := Header{h: headerJSON{Version: formatVersion, RepoID: repoID, Secret: s.kind.String(), Chunker: f.Chunker, Naming: f.Naming}}
	switch s.kind {
	case kindRecovery:
		h.h.KDF = kdfParams{Alg: "hkdf-sha256", Salt: salt}
	case kindPassphrase:
		h.h.KDF = kdfParams{Alg: "argon2id", Salt: salt, Time: defaultArgonTime, Memory: defaultArgonMemory, Threads: defaultArgonThreads}
	default:
		return Header{}, fmt.Errorf("init backup: no recovery key or passphrase given")
	}
	kek, check, err := h.derive(s)
	if err != nil {
		return Header{}, err
	}
	h.h.Check = check
	plain := make([]byte, keysPlainLen)
	copy(plain, keys.master)
	binary.LittleEndian.PutUint64(plain[masterKeyLen:], keys.poly)
	nonce := make([]byte, 12)
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return Header{}, err
	}
	h.h.Keys = newGCM(kek).Seal(nonce, nonce, plain, h.keysAD())
	return h, nil
}

func hkdfBytes(secret, salt []byte, info string, n int) []byte {
	out := make([]byte, n)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, salt, []byte(info)), out); err != nil {
		panic(err) // only for n > 255*32
	}
	return out
}

func newGCM(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // key is always 32 bytes
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}

// subkeys derived from the master key, and the repository's format.
type cryptoKeys struct {
	data     cipher.AEAD // chunks
	manifest cipher.AEAD // snapshots
	nameKey  []byte      // key of the hash naming chunks (newNameHash)
	poly     uint64      // Rabin chunker polynomial (chunkerRabin)
	gearKey  []byte      // FastCDC Gear table key (chunkerFastCDC)
	format   repoFormat
}

func (k repoKeys) derive(repoID string, f repoFormat) cryptoKeys {
	salt := []byte(repoID)
	ck := cryptoKeys{
		data:     newGCM(hkdfBytes(k.master, salt, "pigeon backup data", 32)),
		manifest: newGCM(hkdfBytes(k.master, salt, "pigeon backup manifest", 32)),
		nameKey:  hkdfBytes(k.master, salt, "pigeon backup chunk name", 32),
		poly:     k.poly,
		format:   f,
	}
	if f.Naming == namingBLAKE3 {
		ck.nameKey = hkdfBytes(k.master, salt, "pigeon backup chunk name blake3", 32)
	}
	if f.Chunker == chunkerFastCDC {
		ck.gearKey = hkdfBytes(k.master, salt, "pigeon backup chunker gear", 32)
	}
	return ck
}
