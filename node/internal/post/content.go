package post

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// maxContentSize bounds decoded content: the largest text
// (chats.MaxTextSize) and room for the rest.
const maxContentSize = 64<<10 + 4096

// errBadContent marks content that does not decode or fails a check.
var errBadContent = rt.ErrBadContent

// decodeContent decodes the plaintext of an envelope and checks what every
// kind has: its size, its message ID and a body. Each kind's handler
// checks its body.
func decodeContent(b []byte) (*pb.Content, error) {
	if len(b) > maxContentSize {
		return nil, fmt.Errorf("%w: %d bytes", errBadContent, len(b))
	}
	var c pb.Content
	if err := proto.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadContent, err)
	}
	if len(c.MessageId) != len(storage.MessageID{}) {
		return nil, fmt.Errorf("%w: message id", errBadContent)
	}
	if c.Body == nil {
		return nil, fmt.Errorf("%w: no body", errBadContent)
	}
	return &c, nil
}

func receiptContent(id storage.MessageID, at time.Time, typ pb.Receipt_Type, ids []storage.MessageID) *pb.Content {
	r := &pb.Receipt{Type: typ}
	for _, m := range ids {
		r.MessageIds = append(r.MessageIds, m[:])
	}
	return &pb.Content{MessageId: id[:], SentAtMs: at.UnixMilli(), Body: &pb.Content_Receipt{Receipt: r}}
}
