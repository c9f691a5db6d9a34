package node

import (
	"context"
	"errors"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Info describes the running node.
type Info struct {
	Account identity.AccountID
	Device  uint32
	PeerID  peer.ID
	Addrs   []ma.Multiaddr // full addresses including /p2p/<peer>
}

// MaxTextSize is the largest text message, in bytes of UTF-8.
const MaxTextSize = 64 << 10

var errTODO = errors.New("not implemented")

// Info returns the node's identity and listen addresses.
func (n *Node) Info() Info { panic(errTODO) }

// Send queues text for the account to and returns the message ID. The
// message is stored (state pending) before Send returns; delivery continues
// in the background, across restarts, until every device of the recipient
// has it.
func (n *Node) Send(ctx context.Context, to identity.AccountID, text string) (storage.MessageID, error) {
	return storage.MessageID{}, errTODO
}

// MarkRead marks every received message from peer as read and sends read
// receipts. It returns how many messages changed.
func (n *Node) MarkRead(ctx context.Context, peer identity.AccountID) (int, error) {
	return 0, errTODO
}

// Conversations lists chats, most recent first.
func (n *Node) Conversations(ctx context.Context) ([]storage.Conversation, error) {
	return nil, errTODO
}

// History returns up to limit messages with peer older than before (zero:
// the newest), oldest first.
func (n *Node) History(ctx context.Context, peer identity.AccountID, before storage.MessageID, limit int) ([]storage.Message, error) {
	return nil, errTODO
}

// Message returns one message by ID.
func (n *Node) Message(ctx context.Context, id storage.MessageID) (storage.Message, error) {
	return storage.Message{}, errTODO
}

// Contacts lists known contacts.
func (n *Node) Contacts(ctx context.Context) ([]storage.Contact, error) { return nil, errTODO }

// AddContact adds or renames a contact.
func (n *Node) AddContact(ctx context.Context, account identity.AccountID, name string) error {
	return errTODO
}

// RemoveContact deletes a contact (history is kept).
func (n *Node) RemoveContact(ctx context.Context, account identity.AccountID) error { return errTODO }

// SafetyNumber returns the 60-digit safety number shared with account.
func (n *Node) SafetyNumber(ctx context.Context, account identity.AccountID) (string, error) {
	return "", errTODO
}

// VerifyContact records that the user compared safety numbers with account
// and accepts its current device identities.
func (n *Node) VerifyContact(ctx context.Context, account identity.AccountID) error { return errTODO }

// Init creates the account and first device in home if it has none yet and
// returns the account ID; created reports whether a new account was made.
func Init(home string) (id identity.AccountID, created bool, err error) {
	return id, false, errTODO
}

// New checks the options and returns a node that is not started yet. It does
// no I/O.
func New(opts ...Option) (*Node, error) { return nil, errTODO }

// Start opens storage, brings up the libp2p host, DHT and protocols, and
// starts delivering the outbox. ctx bounds start-up only. Start is
// idempotent.
func (n *Node) Start(ctx context.Context) error { return errTODO }

// Close stops the node and waits for every goroutine. A second call returns
// net.ErrClosed.
func (n *Node) Close() error { return errTODO }
