// Entry point the Pulumi CLI loads. It only assembles: policies live in ./policies and are
// imported by tests directly (constructing a PolicyPack starts a server that never exits).
import { PolicyPack } from "@pulumi/policy";
import { logGroupEncrypted } from "./policies/log-group-encrypted";

new PolicyPack("healthcare-platform", {
    policies: [logGroupEncrypted],
});
