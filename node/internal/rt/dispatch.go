package rt

import (
	"context"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Kind names a kind of content: the field number of its body in
// pb.Content's oneof (or pb.GroupContent's, for group contents). Adding a
// kind means adding a body to the .proto and registering a handler for
// its field number in the feature that handles it.
type Kind = protoreflect.FieldNumber

var (
	contentBody      = (&pb.Content{}).ProtoReflect().Descriptor().Oneofs().ByName("body")
	groupContentBody = (&pb.GroupContent{}).ProtoReflect().Descriptor().Oneofs().ByName("body")
)

// KindOf returns the kind of c's body, 0 when it has none.
func KindOf(c *pb.Content) Kind {
	if f := c.ProtoReflect().WhichOneof(contentBody); f != nil {
		return f.Number()
	}
	return 0
}

// GroupKindOf returns the kind of a group content's body, 0 when it has
// none.
func GroupKindOf(c *pb.GroupContent) Kind {
	if f := c.ProtoReflect().WhichOneof(groupContentBody); f != nil {
		return f.Number()
	}
	return 0
}

// Kinds of pairwise contents (pb.Content bodies).
const (
	KindText    Kind = 10
	KindReceipt Kind = 11
	KindTyping  Kind = 12
	KindGroup   Kind = 13
	KindMedia   Kind = 20
	// KindAccountOps: account-log operations from another device of
	// this account.
	KindAccountOps Kind = 21
	// KindDeviceList: the sender account's new device list.
	KindDeviceList Kind = 22
	// KindAction: an edit, delete or reaction of an earlier message.
	KindAction Kind = 23
	// KindProfile: the sender's profile.
	KindProfile Kind = 24
	// KindTimerSet: the sender changed the chat's disappearing timer.
	KindTimerSet Kind = 25
)

// Kinds of group contents (pb.GroupContent bodies).
const (
	GroupKindText        Kind = 10
	GroupKindOps         Kind = 11
	GroupKindTyping      Kind = 12
	GroupKindMedia       Kind = 13
	GroupKindDeviceLists Kind = 14
	GroupKindAction      Kind = 16
	GroupKindTimerSet    Kind = 17
	GroupKindProfile     Kind = 18
)

// Incoming is a decrypted pairwise content and what vouches for it.
type Incoming struct {
	From     e2e.Address  // the sending device, authenticated
	Envelope *pb.Envelope // as received
	Content  *pb.Content  // decoded and checked for its kind
	ID       storage.MessageID
	SentAt   time.Time // by the sender's clock
	Relayed  bool      // held by a relay, not sent to us directly
}

// Result is what handling one content produced.
type Result struct {
	// After runs once the transaction that stored the content committed
	// (events, work in the background); nil for nothing.
	After func(ctx context.Context)
	// Message says the content is a message of a chat (a text or a
	// file), stored now or before: a relayed one gets a delivery receipt.
	Message bool
	// New says the message was stored now (not a copy already held).
	New bool
}

// ContentHandler handles a pairwise content inside the transaction that
// decrypted its envelope (ctx carries the transaction; it may run more
// than once when the transaction is retried). An error wrapping
// ErrBadContent refuses the envelope as malformed; another error leaves
// it to be retried.
type ContentHandler func(ctx context.Context, in Incoming) (Result, error)

// GroupIncoming is a decrypted group content and what vouches for it.
type GroupIncoming struct {
	Group   group.ID
	From    e2e.Address // the sending member device (its sender key signed it)
	ID      storage.MessageID
	Seq     uint64 // the sender device's sequence number in the group
	SentAt  time.Time
	Raw     []byte // the group envelope as received
	Content *pb.GroupContent
}

// GroupContentHandler handles a group content inside the transaction that
// decrypted it, as ContentHandler.
type GroupContentHandler func(ctx context.Context, in GroupIncoming) (Result, error)

// Registry is where features claim the kinds of content they handle.
// match, when not nil, narrows a kind (a receipt for a group goes to
// groups, one without to chats); handlers of one kind must not both
// match a content.
type Registry interface {
	HandleContent(kind Kind, match func(*pb.Content) bool, h ContentHandler)
	HandleGroupContent(kind Kind, h GroupContentHandler)
}
