package rt

import (
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Conversions between node/core types and the protocol's and store's:
// the same bytes under other names.

// Chat returns the chat a stored message or attachment belongs to (peer
// is a group's ID when isGroup).
func Chat(peer storage.Account, isGroup bool) core.Chat {
	if isGroup {
		return core.InGroup(core.GroupID(peer))
	}
	return core.With(core.AccountID(peer))
}

// Peer returns the store's conversation key of a chat.
func Peer(c core.Chat) storage.Account {
	if c.IsGroup() {
		return storage.Account(c.Group)
	}
	return storage.Account(c.Account)
}

// Message converts a stored message.
func Message(m storage.Message) core.Message {
	return core.Message{
		ID:           core.MessageID(m.ID),
		Chat:         Chat(m.Peer, m.Group),
		Sender:       core.AccountID(m.Sender),
		SenderDevice: m.SenderDevice,
		Direction:    core.Direction(m.Direction),
		Text:         m.Text,
		SentAt:       m.SentAt,
		StoredAt:     m.StoredAt,
		State:        core.State(m.State),
		Kind:         core.MessageKind(m.Kind),
		ReplyTo:      core.MessageID(m.ReplyTo),
		Edits:        int(m.Edits),
		EditedAt:     m.EditedAt,
		ExpireAfter:  m.ExpireAfter,
		ExpiresAt:    m.ExpiresAt,
	}
}

// Messages converts stored messages.
func Messages(ms []storage.Message) []core.Message {
	out := make([]core.Message, len(ms))
	for i, m := range ms {
		out[i] = Message(m)
	}
	return out
}

// Conversation converts a stored conversation summary.
func Conversation(c storage.Conversation) core.Conversation {
	return core.Conversation{Chat: Chat(c.Peer, c.Last.Group), Last: Message(c.Last), Unread: c.Unread}
}

// Account converts an account ID for the protocol.
func Account(a core.AccountID) identity.AccountID { return identity.AccountID(a) }

// CoreAccount converts the protocol's account ID for node/core.
func CoreAccount(a identity.AccountID) core.AccountID { return core.AccountID(a) }

// Accounts converts account IDs for the protocol.
func Accounts(as []core.AccountID) []identity.AccountID { return convert(as, Account) }

// CoreAccounts converts the protocol's account IDs for node/core.
func CoreAccounts(as []identity.AccountID) []core.AccountID { return convert(as, CoreAccount) }

// Group converts a group ID for the protocol.
func Group(g core.GroupID) group.ID { return group.ID(g) }

// CoreGroup converts the protocol's group ID for node/core.
func CoreGroup(g group.ID) core.GroupID { return core.GroupID(g) }

// ID converts a message ID for the store.
func ID(id core.MessageID) storage.MessageID { return storage.MessageID(id) }

// CoreID converts the store's message ID for node/core.
func CoreID(id storage.MessageID) core.MessageID { return core.MessageID(id) }

// NewID returns a fresh message ID for time t (storage.NewMessageID: IDs
// made by one process are strictly increasing).
func NewID(t time.Time) core.MessageID { return core.MessageID(storage.NewMessageID(t)) }

// IDs converts message IDs for the store.
func IDs(ids []core.MessageID) []storage.MessageID { return convert(ids, ID) }

// CoreIDs converts the store's message IDs for node/core.
func CoreIDs(ids []storage.MessageID) []core.MessageID { return convert(ids, CoreID) }

// convert copies a slice of IDs into the same bytes under another name.
func convert[To, From any](in []From, conv func(From) To) []To {
	if in == nil {
		return nil
	}
	out := make([]To, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}
