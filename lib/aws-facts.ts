/**
 * AWS facts the components need that no API call gives offline.
 */

/**
 * Elastic Load Balancing accounts that write ALB access logs in Regions opened before
 * August 2022 (ELB user guide, "Enable access logs for your Application Load Balancer",
 * step 2). Newer Regions use the service principal logdelivery.elasticloadbalancing.amazonaws.com,
 * which the bucket policy always admits as well.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

export interface EcrRepository {
    account: string;
    region: string;
    repository: string;
}

/** The private ECR repository an image reference points at, or undefined for any other registry. */
export function parseEcrImage(image: string): EcrRepository | undefined {
    const m =
        /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/.exec(
            image,
        );
    return m ? { account: m[1], region: m[2], repository: m[3] } : undefined;
}

export interface CognitoUserPool {
    region: string;
    userPoolId: string;
}

/**
 * The user pool a JWT issuer names (https://cognito-idp.<region>.amazonaws.com/<region>_<id>;
 * in the China partition the host ends in amazonaws.com.cn), or undefined for any other issuer.
 */
export function parseCognitoIssuer(issuer: string): CognitoUserPool | undefined {
    const m = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9-]+_[A-Za-z0-9]+)$/.exec(issuer);
    return m ? { region: m[1], userPoolId: m[2] } : undefined;
}
