// Entry point the Pulumi CLI loads. It only assembles: the policies live in ./policies and
// are imported by tests directly (constructing a PolicyPack starts a server that never exits).
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies/all";

new PolicyPack("healthcare-platform", { enforcementLevel: "advisory", policies: ALL_POLICIES });
