/** SNS topics, their policies and subscriptions. */
import { ACCOUNT_ID, MockFamily } from "./context";

export const sns: MockFamily = {
    file: "sns.ts",
    modules: ["sns"],
    outputs: {
        "aws:sns/topic:Topic": (r) => ({
            id: r.arn("sns", r.physical),
            state: { name: r.physical, arn: r.arn("sns", r.physical) },
        }),
        "aws:sns/topicPolicy:TopicPolicy": (r) => ({ id: String(r.inputs.arn), state: { owner: ACCOUNT_ID } }),
        "aws:sns/topicSubscription:TopicSubscription": (r) => {
            const arn = `${r.inputs.topic}:${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
    },
};
