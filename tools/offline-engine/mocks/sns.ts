/** SNS topics, their policies and subscriptions. */
import { MockFamily } from "./context";

export const sns: MockFamily = {
    file: "sns.ts",
    modules: ["sns"],
    outputs: {
        "aws:sns/topic:Topic": (r) => ({
            id: r.arn("sns", r.physical),
            state: { name: r.physical, arn: r.arn("sns", r.physical) },
        }),
        "aws:sns/topicPolicy:TopicPolicy": (r) => ({ id: String(r.inputs.arn), state: { owner: r.account } }),
        "aws:sns/topicSubscription:TopicSubscription": (r) => {
            const arn = `${r.inputs.topic}:${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
    },
};
