import { HIPAA, resourcePolicy, validateTypes } from "../common";

const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const CERTIFICATES = [
    "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:alb/listenerCertificate:ListenerCertificate",
];
const isAcm = (arn: unknown) => /^arn:aws[a-z-]*:acm:/.test(String(arn ?? ""));

export const elbv2AcmCertificate = resourcePolicy(
    {
        name: "elbv2-acm-certificate",
        description:
            "HTTPS and TLS listeners of application and network load balancers, and their extra certificates, use ACM certificates (renewed by ACM), not IAM server certificates.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.transmission,
        remediationSteps: "Issue or import the certificate in ACM and give its arn:aws:acm:... ARN as certificateArn.",
        controls: ["elbv2-acm-certificate-required"],
    },
    validateTypes([...LISTENERS, ...CERTIFICATES], (l, args, report) => {
        if (CERTIFICATES.includes(args.type)) {
            if (!isAcm(l.certificateArn)) report(`Certificate ${l.certificateArn} is not from ACM.`);
            return;
        }
        if (!["HTTPS", "TLS"].includes(String(l.protocol))) return;
        if (!l.certificateArn) report(`The ${l.protocol} listener names no certificate.`);
        else if (!isAcm(l.certificateArn)) report(`Certificate ${l.certificateArn} is not from ACM.`);
    }),
);
