/*
 * asl_policy.h - the IAM policy a state machine's execution role needs,
 * read from its definition: each Task's resource and parameters, each
 * Distributed Map's ItemReader, ResultWriter and child executions, as
 * Step Functions' console generates them ("IAM policies for integrated
 * services" in the Step Functions developer guide).
 *
 *   lambda function ARNs, lambda:invoke   lambda:InvokeFunction on the
 *                                         function (and its versions,
 *                                         FUNCTION:*)
 *   states:startExecution                 states:StartExecution on the
 *                                         machine; .sync adds
 *                                         DescribeExecution and
 *                                         StopExecution on its executions
 *                                         and EventBridge's managed rule
 *   sns:publish, sqs:sendMessage          on the topic, the queue
 *   dynamodb:getItem ...                  on the table
 *   events:putEvents                      on the event buses
 *   http:invoke                           states:InvokeHTTPEndpoint, the
 *                                         connection's credentials
 *   aws-sdk:SERVICE:ACTION                SERVICE:Action; on the bucket or
 *                                         table for S3 and DynamoDB, else *
 *   Map ItemReader / ResultWriter         s3:GetObject, s3:ListBucket /
 *                                         s3:PutObject ... on the bucket
 *                                         and key or prefix
 *   a DISTRIBUTED Map                     states:StartExecution on the
 *                                         machine itself, DescribeExecution
 *                                         and StopExecution on its runs
 *
 * A resource the definition computes at run time ("FunctionName.$", a
 * JSONata "{% ... %}") is a wildcard (function:*, a table or bucket wildcard, or *), in
 * a statement of its own whose Sid ends in "Wildcard"; notes say, for
 * each, where and why.
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_POLICY_H
#define ASL_POLICY_H

#include <jv.h>

/*
 * The policy document {"Version": "2012-10-17", "Statement": [...]} for
 * def (consumed; valid), the machine called name, in this machine's
 * region and account (asl_arn.h).  *notes gets an array of {"Sid",
 * "location", "reason"}: one per wildcard resource.
 */
jv	asl_policy(jv def, const char *name, jv *notes);

#endif /* !ASL_POLICY_H */
