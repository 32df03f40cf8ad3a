/** S3 buckets, their per-bucket configuration resources, and the account public access block. */
import { MockFamily, MockOutputs } from "./context";

const bucket: MockOutputs = (r) => {
    const name: string = r.inputs.bucket ?? `${r.name}-${r.hex(7)}`;
    return {
        id: name,
        state: {
            bucket: name,
            arn: `arn:${r.partition.partition}:s3:::${name}`,
            bucketRegionalDomainName: `${name}.s3.${r.region}.${r.partition.dnsSuffix}`,
        },
    };
};

/** Configuration resources take the bucket's name as their id. */
const ofBucket: MockOutputs = (r) => ({ id: String(r.inputs.bucket), state: {} });

export const s3: MockFamily = {
    file: "s3.ts",
    modules: ["s3"],
    outputs: {
        "aws:s3/bucket:Bucket": bucket,
        "aws:s3/bucketV2:BucketV2": bucket,
        "aws:s3/bucketPolicy:BucketPolicy": ofBucket,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ofBucket,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ofBucket,
        "aws:s3/bucketVersioning:BucketVersioning": ofBucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ofBucket,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ofBucket,
        // The account's block: the provider's id is the account id.
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": (r) => ({ id: r.account, state: {} }),
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": ofBucket,
        "aws:s3/bucketLogging:BucketLogging": ofBucket,
    },
};
