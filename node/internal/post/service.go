package post

import (
	"context"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	signalid "go.mau.fi/libsignal/keys/identity"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the delivery runtime gets from node (wiring). Every
// interface names only the methods post uses.
type Deps struct {
	Self   core.AccountID
	Device uint32
	Cert   *identity.Certificate // this device's, signed by the account
	Store  Store
	Host   host.Host
	DHT    DHT
	E2E    E2E
	// Devices is the resolver (node/internal/devices).
	Devices Devices
	// Registry is where the features claimed their content kinds; post
	// dispatches decrypted contents through it.
	Registry *Registry
	// Policy is the contacts feature's send policy.
	Policy Policy
	// Attachments has the media feature copy files to recipients' relays
	// before a message carrying one is deposited there.
	Attachments Attachments
	// Groups takes the group envelopes our relays kept from group topics.
	Groups GroupDeposits
	// ListVersion is the version of our device list that first named our
	// mailbox relays (acks name it).
	ListVersion func() uint64
	// OwnListVersion is the version of our account's current device list
	// (envelopes carry it).
	OwnListVersion func() uint64
	Config         Config
	Publish        func(core.Event)
	Go             func(func(ctx context.Context)) bool // the node's goroutine owner
	Log            *slog.Logger
}

// Config is the runtime's tuning (node's options).
type Config struct {
	RetryMin, RetryMax time.Duration // the outbox's backoff between attempts
	GiveUpAfter        time.Duration // a message still pending then fails
	DurableAcks        bool          // wait for fsync before "I have it"
}

// Store is the store, narrowed to what the runtime uses.
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	CheckSpace(extra uint64) error
	WaitDurable(ctx context.Context) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	SetMessageState(ctx context.Context, id storage.MessageID, st storage.State) (storage.Message, bool, error)
	Outbox(ctx context.Context) ([]storage.OutboxItem, error)
	OutboxItem(ctx context.Context, id storage.MessageID) (storage.OutboxItem, error)
	PutOutbox(ctx context.Context, it storage.OutboxItem) error
	DeleteOutbox(ctx context.Context, id storage.MessageID) error
	Custody(ctx context.Context, recipient storage.Account, id storage.MessageID) (storage.Custody, error)
	CustodyOf(ctx context.Context, recipient storage.Account) ([]storage.Custody, error)
	CustodyRecipients(ctx context.Context) ([]storage.Account, error)
	PutCustody(ctx context.Context, c storage.Custody) error
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	GetIdentityKeyPair() *signalid.KeyPair
}

// DHT looks records up (prekey bundles a device published).
type DHT interface {
	GetValue(ctx context.Context, key string, opts ...routing.Option) ([]byte, error)
}

// E2E is the Signal session manager, narrowed.
type E2E interface {
	HasSession(ctx context.Context, a e2e.Address) (bool, error)
	SessionCached(a e2e.Address) bool
	StartSession(ctx context.Context, b *e2e.Bundle) (*e2e.IdentityChange, error)
	DeleteSession(ctx context.Context, a e2e.Address) error
	Encrypt(ctx context.Context, a e2e.Address, plaintext []byte, fn func(ctx context.Context, s e2e.Sealed) error) (uint32, []byte, error)
	EncryptBatch(ctx context.Context, a e2e.Address, plaintexts [][]byte) ([]e2e.Sealed, error)
	Decrypt(ctx context.Context, a e2e.Address, cert *identity.Certificate, msgType uint32, ciphertext []byte, fn func(ctx context.Context, plaintext []byte) error) (*e2e.IdentityChange, error)
	DecryptBatch(ctx context.Context, a e2e.Address, cert *identity.Certificate, msgs []e2e.Sealed, fn func(ctx context.Context, i int, plaintext []byte) error) (*e2e.IdentityChange, error)
}

// Devices is the resolver of device lists, narrowed.
type Devices interface {
	Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error)
	Fetch(ctx context.Context, a core.AccountID) (*identity.DeviceList, error)
	Cached(a core.AccountID) *identity.DeviceList
	Cert(a core.AccountID, device uint32) *identity.Certificate
	RememberCert(c *identity.Certificate)
}

// Policy is what the runtime asks the contacts feature.
type Policy interface {
	// Allowed refuses sending to a verified contact whose identity
	// changed since.
	Allowed(ctx context.Context, to core.AccountID) (known bool, err error)
	// IdentityChanged hears of a session started with a changed identity.
	IdentityChanged(ctx context.Context, ch *e2e.IdentityChange)
	// Blocked reports whether the user blocked account a: its 1:1
	// contents are dropped (Screen).
	Blocked(ctx context.Context, a core.AccountID) (bool, error)
	// Received files a new 1:1 message from an account in the decrypt
	// transaction (a message request when it starts a conversation with
	// a stranger); it returns what to run after commit.
	Received(ctx context.Context, from core.AccountID, id core.MessageID) (request bool, after func(context.Context), err error)
	// Pending reports whether the conversation with a is a message
	// request not accepted yet.
	Pending(ctx context.Context, a core.AccountID) (bool, error)
	// Muted reports whether the user muted the chat with a: a is handed
	// the quiet deposit secret, so its deposits do not wake this device.
	Muted(ctx context.Context, a core.AccountID) bool
}

// Attachments is what deposits need of the media feature: copies of a
// file at the recipient's relays before the message that carries it is
// deposited there.
type Attachments interface {
	CopyReady(ctx context.Context, to core.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool
	CopiedAt(id core.MessageID, relay peer.ID) ([][]byte, bool)
	PinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte
	ForgetCopy(id core.MessageID)
}

// GroupDeposits takes a group envelope a relay kept from a group's topic
// (the groups feature).
type GroupDeposits interface {
	TakeEnvelope(ctx context.Context, raw []byte) pb.ErrorCode
}

// env is what every part of the runtime shares: the Deps and the parts.
// Set by New, read-only afterwards.
type env struct {
	self      identity.AccountID
	device    uint32
	cert      *identity.Certificate
	store     Store
	host      host.Host
	dht       DHT
	e2e       E2E
	resolver  Devices
	handlers  *Registry
	policy    Policy
	files     Attachments
	groups    GroupDeposits
	cfg       Config
	publish   func(core.Event)
	goroutine func(func(ctx context.Context)) bool
	log       *slog.Logger
	// ownVersion is our account's current device-list version.
	ownVersion func() uint64

	client   *delivery.Client
	outbox   *outbox
	receipts *receipts
	deposits *depositSecrets
	custody  *custody
	waiting  waitReasons
}

// Service is the delivery runtime: the outbox and its lanes, deposits at
// recipients' relays, the /pigeon/msg/1 receive path, receipts, message
// states and pending reasons. Node holds one and hands it, narrowed, to
// the features.
type Service struct {
	n       *env
	recv    *receiver
	service *delivery.Service
	list    func() uint64
}

// New makes the runtime (node calls this); it does no I/O.
func New(d Deps) *Service {
	n := &env{
		self: rt.Account(d.Self), device: d.Device, cert: d.Cert, store: d.Store, host: d.Host, dht: d.DHT, e2e: d.E2E,
		resolver: d.Devices, handlers: d.Registry, policy: d.Policy, files: d.Attachments, groups: d.Groups,
		cfg: d.Config, publish: d.Publish, goroutine: d.Go, log: d.Log, ownVersion: d.OwnListVersion,
	}
	if n.ownVersion == nil {
		n.ownVersion = func() uint64 { return 0 }
	}
	n.client = delivery.NewClient(d.Host, d.Log.With("sub", "delivery"))
	n.deposits = newDepositSecrets(n)
	n.custody = &custody{env: n}
	n.receipts = newReceipts(n)
	n.outbox = newOutbox(n)
	s := &Service{n: n, recv: &receiver{env: n}, list: d.ListVersion}
	s.recv.registerHandlers(d.Registry)
	return s
}

// Start loads the deposit secrets (making the first one on a new home)
// and which recipients have messages in relays' custody (node calls this
// before the relays start: they register the secrets).
func (s *Service) Start(ctx context.Context) error {
	if err := s.n.deposits.load(ctx); err != nil {
		return err
	}
	return s.n.custody.load(ctx)
}

// LoadOutbox queues what the stored outbox holds, starting the lanes
// (node calls this once the features it asks are made, before any of
// them starts and queues something new: an item queued before would be
// loaded twice).
func (s *Service) LoadOutbox(ctx context.Context) error { return s.n.outbox.load(ctx) }

// Serve starts the receipts' and the custody records' goroutines and
// serves /pigeon/msg/1 (node calls this once the features are up:
// envelopes use them).
func (s *Service) Serve(ctx context.Context) error {
	s.n.goroutine(s.n.receipts.run)
	s.n.goroutine(s.n.custody.loop)
	s.service = delivery.NewService(s.n.host, s.recv.handleEnvelopes, s.n.log.With("sub", "delivery"),
		delivery.WithListVersion(s.list))
	return nil
}

// Close stops serving /pigeon/msg/1 and closes the streams of the
// delivery client (node calls this; its goroutine owner waits for the
// lanes).
func (s *Service) Close() {
	if s.service != nil {
		s.service.Close()
	}
	s.n.client.Close()
}

// Enqueue hands a stored outbox item to its lane, after its transaction
// committed.
func (s *Service) Enqueue(it storage.OutboxItem) { s.n.outbox.enqueue(it) }

// Wake makes the lane of to retry now.
func (s *Service) Wake(to core.AccountID) { s.n.outbox.wake(identity.AccountID(to)) }

// PeerConnected wakes the lanes waiting for p (node's connection
// watcher).
func (s *Service) PeerConnected(p peer.ID) { s.n.outbox.peerConnected(p) }

// Preseal encrypts a new message inside the transaction that queues it
// (store writes history and outbox) when the recipient has one device
// with a live session and an idle lane; it reports whether store ran.
// When not, the caller stores the item itself and the lane encrypts.
func (s *Service) Preseal(ctx context.Context, to core.AccountID, it *storage.OutboxItem, store func(ctx context.Context) error) (bool, error) {
	return s.n.outbox.preseal(ctx, identity.AccountID(to), it, store)
}

// Put encodes c as the outbox item of a message to account to and writes
// it in the transaction ctx carries; Enqueue it after commit.
func (s *Service) Put(ctx context.Context, to core.AccountID, c *pb.Content) (storage.OutboxItem, error) {
	raw, err := rt.EncodeContent(c)
	if err != nil {
		return storage.OutboxItem{}, err
	}
	item := storage.OutboxItem{
		ID: storage.MessageID(c.MessageId), Recipient: storage.Account(to), Content: raw, CreatedAt: time.UnixMilli(c.SentAtMs),
		Expires: rt.ContentExpires(c),
	}
	return item, s.n.store.PutOutbox(ctx, item)
}

// QueuePairwise stores a control content for to's devices in the outbox
// and enqueues it; it fills in c's message ID and time.
func (s *Service) QueuePairwise(ctx context.Context, to core.AccountID, c *pb.Content) error {
	return s.n.queuePairwise(ctx, identity.AccountID(to), c)
}

// PutRead writes read receipts for ids, to their sender to, as outbox
// items in the caller's transaction (rt.MaxReceiptIDs to an item); enqueue
// them after commit.
func (s *Service) PutRead(ctx context.Context, to core.AccountID, ids []core.MessageID) ([]storage.OutboxItem, error) {
	// No read receipt tells a blocked account, or one whose message
	// request is pending, that we read it.
	if quiet, err := s.n.quiet(ctx, to); err != nil || quiet {
		return nil, err
	}
	var items []storage.OutboxItem
	for len(ids) > 0 {
		k := min(len(ids), rt.MaxReceiptIDs)
		item, err := s.n.putReceipt(ctx, identity.AccountID(to), pb.Receipt_READ, rt.IDs(ids[:k]))
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		ids = ids[k:]
	}
	return items, nil
}

// SetState moves message id forward to st in the caller's transaction and
// returns the events to publish after commit.
func (s *Service) SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error) {
	return s.n.setState(ctx, storage.MessageID(id), storage.State(st))
}

// Durable returns once everything committed before the call is on disk
// (unless durable acks are off). Call it before acknowledging.
func (s *Service) Durable(ctx context.Context) error { return s.n.durable(ctx) }

// SendEphemeral sends content to every device of to that is connected now
// and has a session with us: no dialling, no queueing, nothing stored.
func (s *Service) SendEphemeral(ctx context.Context, to core.AccountID, id core.MessageID, content []byte) error {
	return ephemeral{s.n}.send(ctx, identity.AccountID(to), storage.MessageID(id), content)
}

// OpenDeposit takes an item a relay's mailbox held for us: a group
// envelope (the group marker byte) goes to the groups feature, a sealed
// envelope is opened and handled like one that arrived directly. The
// caller waits for durability before acking it.
func (s *Service) OpenDeposit(ctx context.Context, raw []byte) pb.ErrorCode {
	return s.recv.openDeposit(ctx, raw)
}

// ListLearned hears of a device list the resolver learned (an OnLearned
// hook): the recipient's lane checks the custody records against it.
func (s *Service) ListLearned(l *identity.DeviceList) { s.n.custody.learned(l) }

// DepositKeys returns the credential keys a registration with relay
// names (our current and previous deposit secrets).
func (s *Service) DepositKeys(relay peer.ID) [][32]byte { return s.n.deposits.keys(relay, false) }

// QuietKeys are the credential keys of our quiet deposit secrets for a
// relay: deposits presenting them (from the contacts we muted) are kept
// without waking this device.
func (s *Service) QuietKeys(relay peer.ID) [][32]byte { return s.n.deposits.keys(relay, true) }

// RotateDepositSecret replaces our deposit secret, keeping the current one
// as the previous.
func (s *Service) RotateDepositSecret(ctx context.Context) error { return s.n.deposits.rotate(ctx) }

// DepositCredential returns the credential this device presents at relay
// when it deposits for device a, and whether a handed us its secret; for
// tests.
func (s *Service) DepositCredential(ctx context.Context, a e2e.Address, relay peer.ID) ([mailbox.CredentialSize]byte, bool) {
	sec, ok := s.n.deposits.credential(ctx, a)
	if !ok {
		return [mailbox.CredentialSize]byte{}, false
	}
	return mailbox.Credential(sec.secret[:], relay), true
}

// OwnDepositCredential is the credential our contacts present at relay
// with our current deposit secret; for tests.
func (s *Service) OwnDepositCredential(relay peer.ID) [mailbox.CredentialSize]byte {
	d := s.n.deposits
	d.mu.Lock()
	defer d.mu.Unlock()
	return mailbox.Credential(d.cur.secret[:], relay)
}

// HandleEnvelopes is the /pigeon/msg/1 handler (node's benchmarks call it
// directly): it authenticates, decrypts, stores and dispatches envelopes
// from peer from and returns their ack codes once what they stored is
// durable.
func (s *Service) HandleEnvelopes(ctx context.Context, from peer.ID, envs []*pb.Envelope) []pb.ErrorCode {
	return s.recv.handleEnvelopes(ctx, from, envs)
}
