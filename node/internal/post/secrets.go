package post

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deposit secrets. This device keeps a random secret for deposits into its
// mailboxes (current and, after a rotation, previous) and registers the
// credential each one makes for a relay (protocol/mailbox: Credential) with
// that relay. It hands the current secret to every device it writes to,
// inside the end-to-end encrypted Content (deposit_secret), until that
// device has acknowledged a message carrying it; devices that wrote to us
// the same way give us theirs, which our deposits into their mailboxes
// present. A deposit without one is a stranger's: the relay gives it a
// small quota of its own.
//
// Each secret has a quiet twin (HMAC of it, same version), whose
// credentials are registered as quiet keys: the relay keeps what they
// bring without waking this device through its push endpoint. Contacts
// whose chat the user muted are handed the quiet twin instead (with the
// next message or receipt to them), and the normal secret again once the
// chat is unmuted; so a muted contact's first message after the change
// may still wake the device, or an unmuted one's may not.
//
// Store settings: depositSecretSetting holds our secrets; "dh/ACCOUNT/DEV"
// the version of our secret that device acknowledged; "dc/ACCOUNT/DEV" the
// secret that device handed us (ACCOUNT in unpadded base64url, so a name
// stays within the store's 64 bytes).

// depositSecretSetting is the store setting holding this device's deposit
// secrets: version(4) secret(32), then the previous ones the same way
// (absent before the first rotation).
const depositSecretSetting = "deposit-secret"

// contentDepositSecret is the field number of Content.deposit_secret.
const contentDepositSecret = 16

// depositSecret is one version of a device's deposit secret.
type depositSecret struct {
	version uint32
	secret  [32]byte
}

// depositSecrets is this device's deposit secrets and what it knows of its
// contacts' devices.
type depositSecrets struct {
	n *env

	mu     sync.Mutex // guards the fields below; taken alone
	cur    depositSecret
	prev   depositSecret // version 0: none
	handed map[e2e.Address]handed
	creds  map[e2e.Address]depositSecret // version 0: none (cached miss)
}

func encodeSecret(b []byte, s depositSecret) []byte {
	b = binary.BigEndian.AppendUint32(b, s.version)
	return append(b, s.secret[:]...)
}

func decodeSecret(b []byte) (depositSecret, error) {
	if len(b) != 4+32 {
		return depositSecret{}, fmt.Errorf("deposit secret of %d bytes", len(b))
	}
	return depositSecret{version: binary.BigEndian.Uint32(b), secret: [32]byte(b[4:])}, nil
}

func newDepositSecrets(n *env) *depositSecrets {
	return &depositSecrets{n: n, handed: make(map[e2e.Address]handed), creds: make(map[e2e.Address]depositSecret)}
}

// load reads this device's deposit secrets, making the first one on a new
// home.
func (d *depositSecrets) load(ctx context.Context) error {
	n := d.n
	raw, err := n.store.Setting(ctx, depositSecretSetting)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		d.cur.version = 1
		if _, err := rand.Read(d.cur.secret[:]); err != nil {
			return fmt.Errorf("make deposit secret: %w", err)
		}
		return d.save(ctx)
	case err != nil:
		return fmt.Errorf("load deposit secret: %w", err)
	}
	if len(raw) != 36 && len(raw) != 72 {
		return fmt.Errorf("load deposit secret: %w: %d bytes", core.ErrBadSetting, len(raw))
	}
	d.cur, _ = decodeSecret(raw[:36])
	if len(raw) == 72 {
		d.prev, _ = decodeSecret(raw[36:])
	}
	return nil
}

// save stores the secrets; the caller holds mu or owns d.
func (d *depositSecrets) save(ctx context.Context) error {
	v := encodeSecret(nil, d.cur)
	if d.prev.version != 0 {
		v = encodeSecret(v, d.prev)
	}
	if err := d.n.store.PutSetting(ctx, depositSecretSetting, v); err != nil {
		return fmt.Errorf("save deposit secret: %w", err)
	}
	return nil
}

// quietTwin is the quiet secret of s (see the comment at the top).
func quietTwin(s depositSecret) depositSecret {
	m := hmac.New(sha256.New, s.secret[:])
	m.Write([]byte("pigeon/quiet-deposit-secret/v1"))
	return depositSecret{version: s.version, secret: [32]byte(m.Sum(nil))}
}

// keys returns the credential keys a registration with relay names: of
// the secrets, or of their quiet twins.
func (d *depositSecrets) keys(relay peer.ID, quiet bool) [][32]byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	var keys [][32]byte
	for _, s := range []depositSecret{d.cur, d.prev} {
		if s.version == 0 {
			continue
		}
		if quiet {
			s = quietTwin(s)
		}
		keys = append(keys, mailbox.CredentialKey(mailbox.Credential(s.secret[:], relay)))
	}
	return keys
}

// rotate replaces this device's deposit secret with a new one, keeping
// the current one as the previous (relays.Service.RotateDepositSecret
// then registers both with every relay).
func (d *depositSecrets) rotate(ctx context.Context) error {
	d.mu.Lock()
	next := depositSecret{version: d.cur.version + 1}
	if _, err := rand.Read(next.secret[:]); err != nil {
		d.mu.Unlock()
		return err
	}
	oldCur, oldPrev := d.cur, d.prev
	d.prev, d.cur = d.cur, next
	err := d.save(ctx)
	if err != nil {
		d.cur, d.prev = oldCur, oldPrev
	}
	d.mu.Unlock()
	if err != nil {
		return err
	}
	d.n.log.Info("deposit secret rotated", "version", next.version)
	return nil
}

// settingName names a per-device setting: prefix/ACCOUNT/DEVICE.
func settingName(prefix string, a e2e.Address) string {
	return prefix + "/" + base64.RawURLEncoding.EncodeToString(a.Account[:]) + "/" + strconv.FormatUint(uint64(a.Device), 10)
}

// handed is what a device acknowledged of our secret: its version, and
// whether it was the quiet twin.
type handed struct {
	version uint32
	quiet   bool
}

// handedSecret returns what of our secret device a acknowledged ("dh":
// version(4), then 1 for the quiet twin).
func (d *depositSecrets) handedSecret(ctx context.Context, a e2e.Address) handed {
	d.mu.Lock()
	h, ok := d.handed[a]
	d.mu.Unlock()
	if ok {
		return h
	}
	raw, err := d.n.store.Setting(ctx, settingName("dh", a))
	switch {
	case err == nil && (len(raw) == 4 || len(raw) == 5):
		h.version = binary.BigEndian.Uint32(raw)
		h.quiet = len(raw) == 5 && raw[4] == 1
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return handed{} // hand it again
	}
	d.mu.Lock()
	d.handed[a] = h
	d.mu.Unlock()
	return h
}

// secretField returns the Content field carrying our current secret (its
// quiet twin when the user muted a's account), to append to a plaintext
// for device a, and what it hands; nil when a has it.
// Appending a field to a marshaled message is the same as setting it.
func (d *depositSecrets) secretField(ctx context.Context, a e2e.Address) ([]byte, handed) {
	d.mu.Lock()
	cur := d.cur
	d.mu.Unlock()
	want := handed{version: cur.version, quiet: d.n.policy.Muted(ctx, core.AccountID(a.Account))}
	if h := d.handedSecret(ctx, a); h.version > want.version || h == want {
		return nil, handed{}
	}
	if want.quiet {
		cur = quietTwin(cur)
	}
	body, err := proto.Marshal(&pb.DepositSecret{Secret: cur.secret[:], Version: cur.version})
	if err != nil {
		return nil, handed{}
	}
	f := protowire.AppendTag(nil, contentDepositSecret, protowire.BytesType)
	return protowire.AppendBytes(f, body), want
}

// markHanded records that device a acknowledged a message carrying h.
func (d *depositSecrets) markHanded(ctx context.Context, a e2e.Address, h handed) {
	if old := d.handedSecret(ctx, a); old.version > h.version || old == h {
		return
	}
	v := binary.BigEndian.AppendUint32(nil, h.version)
	if h.quiet {
		v = append(v, 1)
	}
	if err := d.n.store.PutSetting(ctx, settingName("dh", a), v); err != nil {
		d.n.log.Warn("store handed deposit secret", "err", err)
		return
	}
	d.mu.Lock()
	d.handed[a] = h
	d.mu.Unlock()
}

// received keeps the deposit secret device a handed us, in the caller's
// transaction, unless we hold a newer one of a's. Malformed ones are
// ignored.
func (d *depositSecrets) received(ctx context.Context, a e2e.Address, s *pb.DepositSecret) error {
	if len(s.GetSecret()) != 32 || s.GetVersion() == 0 {
		return nil
	}
	got := depositSecret{version: s.GetVersion(), secret: [32]byte(s.GetSecret())}
	if old, ok := d.credential(ctx, a); ok && (old.version > got.version || old == got) {
		return nil
	}
	if err := d.n.store.PutSetting(ctx, settingName("dc", a), encodeSecret(nil, got)); err != nil {
		return err
	}
	d.mu.Lock()
	d.creds[a] = got
	d.mu.Unlock()
	return nil
}

// credential returns the secret device a handed us, if any.
func (d *depositSecrets) credential(ctx context.Context, a e2e.Address) (depositSecret, bool) {
	d.mu.Lock()
	s, ok := d.creds[a]
	d.mu.Unlock()
	if ok {
		return s, s.version != 0
	}
	raw, err := d.n.store.Setting(ctx, settingName("dc", a))
	switch {
	case err == nil:
		if s, err = decodeSecret(raw); err != nil {
			return depositSecret{}, false
		}
	case !errors.Is(err, storage.ErrNotFound):
		return depositSecret{}, false // not cached: read again next time
	}
	d.mu.Lock()
	d.creds[a] = s
	d.mu.Unlock()
	return s, s.version != 0
}

// depositOptions are the credential options of a deposit into device a's
// box at relay: its credential when a handed us its secret.
func (d *depositSecrets) depositOptions(ctx context.Context, a e2e.Address, relay peer.ID) []mailbox.DepositOption {
	s, ok := d.credential(ctx, a)
	if !ok {
		return nil
	}
	return []mailbox.DepositOption{mailbox.WithCredential(mailbox.Credential(s.secret[:], relay))}
}
