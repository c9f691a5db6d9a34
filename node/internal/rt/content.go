package rt

import (
	"crypto/rand"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// ContentPadBlock is the block size contents (and group contents) are
// padded to.
const ContentPadBlock = 32

// EncodeContent marshals c with random padding that rounds the size up to
// a multiple of 32 bytes, hiding exact lengths.
func EncodeContent(c *pb.Content) ([]byte, error) {
	c.Padding = nil
	size := proto.Size(c) + 2 // tag and length of the padding field
	pad := (ContentPadBlock - size%ContentPadBlock) % ContentPadBlock
	if pad == 0 {
		pad = ContentPadBlock // an empty field would not be encoded at all
	}
	c.Padding = make([]byte, pad)
	if _, err := rand.Read(c.Padding); err != nil {
		return nil, err
	}
	return proto.Marshal(c)
}

// WireNow is the current time at the precision a message carries its time
// on the wire (milliseconds: pb.Content.sent_at_ms), so an outgoing
// message's sent_at on the sender, which stores it, is the one the
// recipient reads from the wire.
func WireNow() time.Time { return time.UnixMilli(time.Now().UnixMilli()) }

// RetryLater reports whether an answer to an envelope says it was not
// taken for a local reason (an internal error, a full disk): whoever holds
// it keeps it and offers it again later.
func RetryLater(code pb.ErrorCode) bool {
	return code == pb.ErrorCode_INTERNAL || code == pb.ErrorCode_STORAGE_FULL
}

// MaxReceiptIDs bounds the message IDs one receipt names (1:1 and group
// receipts alike); more are sent as several receipts.
const MaxReceiptIDs = 1024

// CheckReceipt checks a receipt's body: one to MaxReceiptIDs message IDs
// of the right length, and a known type.
func CheckReceipt(r *pb.Receipt) error {
	if r == nil || len(r.MessageIds) == 0 || len(r.MessageIds) > MaxReceiptIDs {
		return fmt.Errorf("%w: receipt", ErrBadContent)
	}
	for _, id := range r.MessageIds {
		if len(id) != len(storage.MessageID{}) {
			return fmt.Errorf("%w: receipt id", ErrBadContent)
		}
	}
	if _, ok := pb.Receipt_Type_name[int32(r.Type)]; !ok {
		return fmt.Errorf("%w: receipt type", ErrBadContent)
	}
	return nil
}

// ContentExpires returns when the copies of a disappearing message end:
// for a text or a file carrying a chat timer, its send time plus the
// timer (the sender's deadline); zero for anything else. Relays are asked
// to drop their copies then (storage.OutboxItem.Expires).
func ContentExpires(c *pb.Content) time.Time {
	secs := c.GetTimer().GetSeconds()
	if secs == 0 {
		return time.Time{}
	}
	switch c.GetBody().(type) {
	case *pb.Content_Text, *pb.Content_Media:
		return time.UnixMilli(c.GetSentAtMs()).Add(time.Duration(secs) * time.Second)
	}
	return time.Time{}
}
