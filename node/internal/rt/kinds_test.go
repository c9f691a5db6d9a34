package rt_test

import (
	"testing"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// TestKinds: the kind constants are the field numbers of the bodies they
// name, so a handler registered for one gets that body.
func TestKinds(t *testing.T) {
	for _, c := range []struct {
		content *pb.Content
		want    rt.Kind
	}{
		{&pb.Content{Body: &pb.Content_Text{Text: &pb.Text{}}}, rt.KindText},
		{&pb.Content{Body: &pb.Content_Receipt{Receipt: &pb.Receipt{}}}, rt.KindReceipt},
		{&pb.Content{Body: &pb.Content_Typing{Typing: &pb.Typing{}}}, rt.KindTyping},
		{&pb.Content{Body: &pb.Content_Group{Group: &pb.GroupControl{}}}, rt.KindGroup},
		{&pb.Content{Body: &pb.Content_Media{Media: &pb.Media{}}}, rt.KindMedia},
		{&pb.Content{Body: &pb.Content_AccountOps{AccountOps: &pb.AccountOps{}}}, rt.KindAccountOps},
		{&pb.Content{Body: &pb.Content_DeviceList{DeviceList: []byte{1}}}, rt.KindDeviceList},
		{&pb.Content{Body: &pb.Content_Action{Action: &pb.MessageAction{}}}, rt.KindAction},
		{&pb.Content{Body: &pb.Content_Profile{Profile: &pb.Profile{}}}, rt.KindProfile},
		{&pb.Content{Body: &pb.Content_TimerSet{TimerSet: &pb.ChatTimer{}}}, rt.KindTimerSet},
		{&pb.Content{}, 0},
	} {
		if got := rt.KindOf(c.content); got != c.want {
			t.Errorf("KindOf(%T) = %d, want %d", c.content.Body, got, c.want)
		}
	}
	for _, c := range []struct {
		content *pb.GroupContent
		want    rt.Kind
	}{
		{&pb.GroupContent{Body: &pb.GroupContent_Text{Text: &pb.Text{}}}, rt.GroupKindText},
		{&pb.GroupContent{Body: &pb.GroupContent_Ops{Ops: &pb.GroupOps{}}}, rt.GroupKindOps},
		{&pb.GroupContent{Body: &pb.GroupContent_Typing{Typing: &pb.Typing{}}}, rt.GroupKindTyping},
		{&pb.GroupContent{Body: &pb.GroupContent_Media{Media: &pb.Media{}}}, rt.GroupKindMedia},
		{&pb.GroupContent{Body: &pb.GroupContent_DeviceLists{DeviceLists: &pb.DeviceLists{}}}, rt.GroupKindDeviceLists},
		{&pb.GroupContent{Body: &pb.GroupContent_Action{Action: &pb.MessageAction{}}}, rt.GroupKindAction},
		{&pb.GroupContent{Body: &pb.GroupContent_TimerSet{TimerSet: &pb.ChatTimer{}}}, rt.GroupKindTimerSet},
		{&pb.GroupContent{Body: &pb.GroupContent_Profile{Profile: &pb.Profile{}}}, rt.GroupKindProfile},
		{&pb.GroupContent{}, 0},
	} {
		if got := rt.GroupKindOf(c.content); got != c.want {
			t.Errorf("GroupKindOf(%T) = %d, want %d", c.content.Body, got, c.want)
		}
	}
}
