package main

// The subcommands of each verb that has some, for `pigeon help VERB SUB`
// and `pigeon VERB SUB -h`. Every removal is `rm` (or has it as an alias).

var contactsSubs = []subcommand{
	{name: "list", summary: "list contacts: account ID, name, whether verified (the default)"},
	{name: "add", args: "ACCOUNT NAME", summary: "add a contact, or rename one; the name then works wherever an ACCOUNT is expected"},
	{name: "remove", aliases: []string{"rm"}, args: "ACCOUNT", summary: "remove a contact (the history is kept)"},
	{name: "verify", args: "ACCOUNT", summary: "mark a contact verified after comparing safety numbers (`pigeon safety-number ACCOUNT`)"},
}

var groupSubs = []subcommand{
	{name: "list", summary: "list your groups: name, short ID, members, your role (the default)"},
	{name: "create", args: "NAME [MEMBER...]", summary: "create a group with members; prints the group ID (--description, --post, --add, --edit)"},
	{name: "info", args: "GROUP", summary: "show a group's name, settings, members and invites"},
	{name: "add", args: "GROUP ACCOUNT...", summary: "add members (--admin to add them as admins)"},
	{name: "remove", aliases: []string{"rm"}, args: "GROUP ACCOUNT", summary: "remove a member; everyone left starts a new sender key"},
	{name: "leave", args: "GROUP", summary: "leave a group"},
	{name: "promote", args: "GROUP ACCOUNT", summary: "make a member an admin"},
	{name: "demote", args: "GROUP ACCOUNT", summary: "make an admin a plain member (the owner only)"},
	{name: "rename", args: "GROUP NAME", summary: "change the group's name (and --description)"},
	{name: "settings", args: "GROUP", summary: "change who may post, add members or edit the group (--post, --add, --edit: members or admins)"},
	{name: "invite", args: "GROUP", summary: "make an invite link (--ttl 24h); whoever holds it may join"},
	{name: "revoke", args: "LINK", summary: "revoke an invite link"},
	{name: "join", args: "LINK", summary: "ask to join a group with an invite link"},
}

var relaysSubs = []subcommand{
	{name: "list", summary: "list relays: address, latency, region, reservation, mailbox (the default)"},
	{name: "add", args: "MULTIADDR [INVITE]", summary: "use a relay (and bootstrap from it); remembered across restarts"},
	{name: "remove", aliases: []string{"rm"}, args: "PEER_ID", summary: "stop using a relay and close the mailbox there"},
	{name: "rotate-secret", summary: "start a new deposit secret for contacts (the previous one works until the next rotation)"},
}

var mediaSubs = []subcommand{
	{name: "get", args: "MESSAGE_ID [--out DIR|FILE] [--force] [--wait DURATION]", summary: "fetch a file (if needed) and save it without replacing any file; prints the path"},
	{name: "list", args: "ACCOUNT | --group GROUP", summary: "list the files of a chat: ID, time, direction, size, state, name"},
	{name: "info", args: "MESSAGE_ID", summary: "show a file's name, type, size, state and chat"},
	{name: "rm", args: "MESSAGE_ID", summary: "drop this device's copy of a file (the message stays)"},
	{name: "auto", args: "[ACCOUNT] [BYTES]", summary: "show or set the largest file fetched on arrival (for one chat with ACCOUNT; negative: back to the default)"},
}

var presenceSubs = []subcommand{
	{name: "privacy", args: "[everyone|contacts|nobody]", summary: "show or set who sees whether you are online and your last seen"},
}
