import { HIPAA, resourcePolicy, validateTypes } from "../common";

const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";

export const sagemakerHardened = resourcePolicy(
    {
        name: "sagemaker-hardened",
        description:
            "SageMaker notebook instances encrypt their volume with a customer-managed key and have no direct internet access; endpoint configurations encrypt the attached storage with one.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            'Notebook: kmsKeyId, subnetId, securityGroups and directInternetAccess "Disabled"; endpoint configuration: kmsKeyArn.',
        controls: [
            "sagemaker-notebook-instance-kms-key-configured",
            "sagemaker-notebook-no-direct-internet-access",
            "sagemaker-endpoint-configuration-kms-key-configured",
        ],
    },
    validateTypes([NOTEBOOK, "aws:sagemaker/endpointConfiguration:EndpointConfiguration"], (r, args, report) => {
        if (args.type === NOTEBOOK) {
            if (!r.kmsKeyId) report("No kmsKeyId: the notebook's volume is encrypted with a key AWS manages.");
            // The provider's default is Enabled.
            if (r.directInternetAccess !== "Disabled")
                report("Direct internet access is on: the notebook reaches and is reached around the VPC.");
        } else if (!r.kmsKeyArn)
            report("No kmsKeyArn: the endpoint's storage volumes are encrypted with a key AWS manages.");
    }),
);
