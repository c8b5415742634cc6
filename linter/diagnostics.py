"""The engine's own rules: what the loader and the rule runner report.

They have no check function; the file source and the engine emit them. They are
declared here so that ``campaign-lint rules``/``explain`` and the configuration
know them like any other rule.
"""

from __future__ import annotations

from .model import Severity
from .rule import declare

UNREADABLE_INPUT = declare("CC001", "unreadable-input", Severity.ERROR, """
    A file is not valid JSON or YAML, or not UTF-8 text; or a folder cannot be listed.

    Nothing in such a file can be checked. The finding points at the line and
    column where the parser gave up. A UTF-16 or UTF-32 file (with its byte
    order mark, as Windows PowerShell 5 writes) is named as such, with the fix:
    save it as UTF-8. YAML is read safely: nothing is constructed from a tag
    (Python object tags are refused), and alias bombs are refused. A folder of
    the walk that cannot be listed (no permission) is reported too: its files
    were not checked.

    What AWS documents: the AWS CLI user guide warns that PowerShell's UTF-16
    output conflicts with JSON's UTF-8. The formats' own standards: JSON
    exchanged between systems must be UTF-8 (RFC 8259); YAML 1.2 also allows
    UTF-16 and UTF-32. What has been observed from the service: no report yet.
    The service never sees the file, only what a tool (the AWS CLI,
    CloudFormation, Terraform) read from it, and what each tool says of each
    kind of file reported here has not been recorded.

    What this project decides: an error when the file names anything
    campaign-specific, else info (below). A UTF-16 or UTF-32 file is reported,
    not decoded and linted: linting it would pass what the next tool may not
    read, and ``--fix`` writes UTF-8.

    A file that does not parse, or is not UTF-8 text (binary, Latin-1, UTF-16),
    and names nothing campaign-specific (no ``connectInstanceId``,
    ``channelSubtypeConfig``, ``ConnectCampaignsV2``, ``awscc_connectcampaignsv2``,
    ``connect-campaigns`` ARN, ...) is reported at info level: a ``tsconfig.json``
    with comments, a Helm template or an image met by a broad file pattern must
    not fail a commit. Decided here, like CC002. Bytes that are not UTF-8 are
    judged on what can be read of them: UTF-16 on its decoded text, others on
    their ASCII letters, so a binary file naming a campaign member is an error. The
    names are looked for with escapes read (``"connect\\u0049nstanceId"``, YAML's
    ``\\x49`` and escaped line breaks), so spelling a key differently cannot turn a
    broken campaign file into an info.

    CC001 cannot be deselected, ignored, suppressed or baselined: it says that
    something was not checked. Keep files out of a run with ``exclude``.

    Fails:

        name: spring-renewals
        connectInstanceId: [unclosed

    Passes:

        name: spring-renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

NO_CAMPAIGN = declare("CC002", "no-campaign", Severity.INFO, """
    A file holds no campaign.

    This includes an empty file (0 bytes, only blanks, or only comments).
    A broad pre-commit ``files:`` pattern or a folder walk also meets
    package.json, workflow files and other JSON/YAML. A file with none of a
    campaign's members (connectInstanceId, channelSubtypeConfig,
    communicationTimeConfig, ...) is reported at info level and does not fail the
    run. A file that does look like a campaign but is malformed gets the
    structural findings (CC101-CC108) instead. In a list of campaigns (or a YAML
    stream of them), an item or document that holds none (a number, null, or an
    object without any campaign member) is reported the same way, at the item:
    it is not checked (the first 20, then how many more). So is a template
    resource whose Properties come from an intrinsic function this linter does
    not evaluate (``Fn::Transform`` such as ``AWS::Include``, ``Fn::GetAtt``), and
    campaign resources inside an ``Fn::ForEach`` loop whose collection is not known here
    (a parameter without a value) or that is malformed (one finding at the loop), or past
    CloudFormation's quota of 500 resources or 5,000 loop iterations; and Terraform
    files that are not read (HCL ``.tf``, override files). A resource of Terraform JSON
    configuration whose body is ``null`` or ``[]`` is one too, at the resource: Terraform
    reads either as no resource block, so it declares no campaign. (A body that is an
    expression, ``"${var.campaign}"``, or another value that is no object is not: Terraform
    refuses the file, a CC103 error.)

    Fails:

        name: my-web-app
        version: 1.0.0

    Passes:

        name: spring-renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

DUPLICATE_KEY = declare("CC004", "duplicate-key", Severity.ERROR, """
    The same key appears twice in one JSON or YAML object.

    What AWS documents: nothing this project has found about a key given twice
    in a campaign file or template. The formats' own standards do: JSON
    (RFC 8259) says the names within an object SHOULD be unique, and that what
    software does with an object whose names are not is unpredictable (many
    keep the last pair, some refuse the object, some report every pair);
    YAML 1.2 requires the keys of a mapping to be unique. What has been
    observed from the service: no report yet; it gets what a tool read from
    the file, never the file. Of the tools: Terraform (1.11) refuses a second
    block of one resource name in a ``.tf.json`` file ("Duplicate resource")
    but reads both of two ``"resource"`` keys of one object (a plan adds both
    resources); cfn-lint refuses a template whose ``Fn::ForEach`` makes a
    logical id twice (E0001). What CloudFormation and the AWS CLI do with a key
    given twice in a template or an input file has not been observed.

    What this project decides: an error, at the second key. JSON and YAML
    parsers keep one of the two values without a word (most keep the last;
    Terraform's JSON syntax reads both, as above), so what reaches AWS is not
    what the reader of the file sees. This linter checks the last value only.

    In a CloudFormation template (or a Terraform plan), two ``DailyHours`` items
    with the same ``Key`` are the same mistake written as a list: CloudFormation
    accepts them and the API has no meaning for them (the API's day map holds a
    day once). The finding points at the second ``Key``; the ranges of both are
    checked together.

    In a CloudFormation template, an ``Fn::ForEach`` loop that makes a logical
    id twice (its collection lists a value twice, or nested loops make it
    again), or one another resource written in the template has, is the same
    mistake: the AWS::LanguageExtensions transform refuses the template
    (cfn-lint: "E0001 Error transforming template: Duplicate ..."). The finding
    is at the loop, and each campaign is checked once. (An id two loops of other
    resources make alike is left to cfn-lint: such loops are not expanded here.)

    In Terraform JSON configuration (``.tf.json``), a resource name given a
    second block in one file is the same mistake too: two items of a list under
    the name (``"renewals": [{...}, {...}]``), or the name again in the next
    object of a list at the ``resource`` or type level. Terraform refuses the
    configuration ("Duplicate resource"). The finding points at the second block
    and names the first's line; each block is still checked and counted as a
    campaign, as a body Terraform refuses (CC103) is: its values are known, and
    once it has a name of its own its findings are the next ones met. The same
    resource in two files of one module is left to ``terraform validate``: a
    file is read on its own, and the module's ``.tf`` files are not read.

    Fails:

        name: spring-renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        name: autumn-renewals

    Passes:

        name: spring-renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

RULE_CRASHED = declare("CC010", "rule-crashed", Severity.ERROR, """
    A rule raised an exception on a campaign; the run went on without it.

    One broken rule (a plugin, say) must not hide the findings of all the others,
    nor pass silently: the campaign was not fully checked. The message names the
    rule and the exception. Report it to the rule's author; until it is fixed,
    deselect the rule with ``ignore``.
    """, None)

UNUSED_SUPPRESSION = declare("CC011", "unused-suppression", Severity.WARNING, """
    A suppression that matched no finding.

    A ``# campaign-lint: ignore CC301`` comment, an ``ignore-file`` comment or a
    ``campaign-lint:ignore`` campaign tag whose rule no longer fires there hides
    nothing today and will silently hide the next real problem. Remove it. Codes
    of rules that are not selected in this run are not reported.

    The same id reports suppressions that cannot work: a code that is no rule id
    or prefix of at least ``CCn`` (``C``, ``CC`` and ``ALL`` would hide every
    finding, so they hide none), a code not written in ASCII capitals and digits
    (``cc301``, or two codes joined by a no-break space), a code of no known
    rule, and a comment that starts ``campaign-lint:`` but cannot be read.

    A suppression of a kind the run does not honour is not read at all, so it is
    never reported here: the ``suppressions`` setting (or ``--suppressions``)
    names the kinds honoured, any of ``tags``, ``comments`` and ``metadata`` (a
    template's Metadata ignore), e.g. ``suppressions = ["comments"]`` to refuse
    campaign tags that anyone allowed to tag a campaign can write. The finding
    such a suppression names is reported, and the run says on stderr how many
    suppressions it did not honour. The baseline always applies;
    ``--no-suppressions`` drops every suppression, the baseline too.

    Fails:

        name: renewals  # campaign-lint: ignore CC301 legacy hours
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

FETCH_FAILED = declare("CC003", "fetch-failed", Severity.ERROR, """
    A campaign or a whole region could not be read from AWS.

    ``campaign-lint audit`` reports what it could not read instead of stopping:
    access denied for a region, throttling that outlasted the retries, a
    campaign deleted between ListCampaigns and DescribeCampaign, an endpoint
    that does not answer, expired credentials, an HTTP 200 answer that is not
    the operation's body (``MalformedResponse``), a ListCampaigns pagination
    that repeats a token or never ends, an ``--instance-id`` with no campaign.
    The message carries the AWS error code. Those campaigns were not checked,
    so the finding fails the run.
    """, None)

REGION_SKIPPED = declare("CC006", "region-skipped", Severity.INFO, """
    An opt-in region the account has not enabled was skipped (--all-regions).

    Regions launched since 2019 (af-south-1, ap-east-1, me-south-1, ...) are
    opt-in: until an account enables one, every call there is refused as if the
    credentials were invalid. When a region refuses the credentials that other
    regions of the same run accepted, the audit reports it at info level and goes
    on, instead of failing every run on a region nobody uses. With ``--region``
    naming the region explicitly the refusal stays a ``CC003`` error. No extra
    call or permission is needed to tell: the listing call itself answers.
    """, None)

DUPLICATE_CAMPAIGN = declare("CC005", "duplicate-campaign", Severity.INFO, """
    Two files (or two documents of one file) hold the same campaign.

    A campaign is identified by its ``id`` (read from the end of its ``arn`` when
    the file has no ``id``): an audit snapshot next to a hand-kept copy, or one
    file named twice under two names. Each copy is still linted on its own, but
    the cross-campaign rules (CC6xx) count the campaign once, so a campaign is
    never "oversubscribed" or "a duplicate name" because of itself. The finding
    is on the second copy and names the file and line of the first. Create
    requests (no id, no ARN) are never taken for copies. Decided here.

    Fails:

        id: 0d9a4b3c-1111-2222-3333-444455556666
        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        ---
        id: 0d9a4b3c-1111-2222-3333-444455556666
        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab

    Passes:

        id: 0d9a4b3c-1111-2222-3333-444455556666
        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        ---
        id: 7e8f9a0b-1111-2222-3333-444455556666
        name: renewals-eu
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

TEMPLATE_IN_STREAM = declare("CC007", "template-in-stream", Severity.ERROR, """
    A CloudFormation template shares its YAML file with other documents.

    A YAML stream (documents separated by ``---`` lines) is a way to keep many
    API campaigns in one file, and campaign-lint reads each document.

    What AWS documents: a template is one JSON- or YAML-formatted text;
    nothing about a file of several YAML documents. What has been observed:
    from the tools, ``aws cloudformation deploy`` and ``aws cloudformation
    package`` (aws-cli 1.45) stop with "expected a single document in the
    stream" before any call to AWS, and cfn-lint (1.51) refuses the file as
    unparseable (E0000, exit code 2), when the template shares its file with
    any other document: another template, a campaign, or an empty document (a
    ``---`` line with nothing after it, at the end of the file or before the
    template). A single ``---`` before the template, or ``...`` after it, is one
    document and fine. So no template in such a file can be deployed as it
    stands, although each is checked here as if it stood alone. What the
    CloudFormation service itself does with a TemplateBody of several
    documents has not been observed.

    What this project decides: an error, as cfn-lint's E0000 is, at the ``---``
    that begins the stream's second document (where both tools point; one
    finding per file, counting the documents, templates and empty ones). Put
    each template in a file of its own. A pipeline that splits the stream
    itself can turn the code off for its files with ``per-file-ignores`` or
    ``# campaign-lint: ignore-file CC007``: unlike CC001, it does not mean that
    something was not checked.

    Fails:

        Resources:
          Renewals:
            Type: AWS::ConnectCampaignsV2::Campaign
            Properties:
              Name: renewals
              ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        ---
        Resources:
          Reminders:
            Type: AWS::ConnectCampaignsV2::Campaign
            Properties:
              Name: reminders
              ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab

    Passes:

        Resources:
          Renewals:
            Type: AWS::ConnectCampaignsV2::Campaign
            Properties:
              Name: renewals
              ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
          Reminders:
            Type: AWS::ConnectCampaignsV2::Campaign
            Properties:
              Name: reminders
              ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """, None)

STALE_BASELINE_ENTRY = declare("CC012", "stale-baseline-entry", Severity.INFO, """
    A baseline entry that no longer matches any finding.

    The problem it accepted was fixed, or the campaign, file or JSON pointer
    moved. Left in place, the entry would hide the next finding of that rule at
    that place. Rewrite the baseline with ``--write-baseline``. Only entries of
    files linted in the run (of regions read, for an audit) and of selected
    rules are judged, so a pre-commit run over a few files does not
    call the rest stale. Info level: it never fails a run by default.
    """, None)

#: findings that mean "this was not (fully) checked": never deselected, ignored or suppressed
NOT_CHECKED = frozenset({UNREADABLE_INPUT.id, FETCH_FAILED.id, RULE_CRASHED.id})
