/**
 * WMI's permanent event consumers, as data. A consumer is registered in the `root\subscription`
 * namespace (an event filter, a consumer and the binding between them) over a WMI connection, on the
 * host itself or from another one (`Set-WmiInstance -ComputerName`, an implant's own WMI calls,
 * Covenant's MoveWMI); it runs when its filter fires, and an ActiveScriptEventConsumer's script runs
 * in WMI's script consumer host, `scrcons.exe`, which the DCOM launcher (`svchost.exe -k DcomLaunch`)
 * starts for it as the system. The registration leaves no process event: over a remote connection
 * its trace is the person's network logon and the WMI provider host (`wmiprvse.exe`) the DCOM
 * launcher starts in its seconds to serve it (models/remote-starts.ts). So a start of the genuine
 * consumer host (CONSUMER_IMAGES, started by CONSUMER_PARENT as the machine) within CONSUMER_SECONDS
 * after such a remote WMI session on its host is taken for that session's consumer firing, when
 * time tells: one person's sessions in that span (two people's make it a guess, and a later one a
 * decoy), on a host where people do not log on so often that one falls in a start's seconds by
 * chance (sql/context/context_consumer_sessions.sql). For an alert on the session's network logon,
 * the consumer host is among what the logon caused (sql/context/context_remote_roots.sql); for an
 * alert on the consumer host, or on what its script started (its child, grandchild), the command on
 * another host that opened the session is a line of its report (context_session_openers.sql), unless
 * that command is known to start nothing there (`net use`: a share mapped).
 *
 * Not reached: a consumer that fires later than CONSUMER_SECONDS (at the next boot or logon, an
 * hourly timer: time no longer tells its registration), one registered locally (its command, a
 * `wmic ... path __EventFilter create` or PowerShell's, is a line of the session that ran it, but not
 * tied to the run), and a CommandLineEventConsumer, whose command the WMI provider host starts as it
 * starts a remote `Win32_Process.Create`'s (the remote roots find those in the logon's seconds).
 *
 * Sources: Microsoft's documentation of the standard consumer classes (ActiveScriptEventConsumer:
 * "runs a predefined script ... scrcons.exe"), SigmaHQ's rule "WMI Persistence - Script Event
 * Consumer" (scrcons.exe started by svchost.exe; rules/sigma), MITRE ATT&CK T1546.003; the OTRF
 * capture of Covenant's remote ActiveScriptEventConsumer (MoveWMI.exe 172.18.39.6): WORKSTATION6's
 * provider host started with pgustavo's network logons from WORKSTATION5, its consumer host 19.6 s
 * after the first of them.
 */

/** The consumer hosts WMI starts to run a registered consumer (process names, lowercase). */
export const CONSUMER_HOSTS: readonly string[] = ['scrcons.exe'];

/** Where the genuine ones are (the end of the image's path, lowercase): a copy elsewhere is not one. */
export const CONSUMER_IMAGES: readonly string[] = ['\\windows\\system32\\wbem\\scrcons.exe', '\\windows\\syswow64\\wbem\\scrcons.exe'];

/** What starts them (the DCOM launcher's service host), as the machine (logon 0x3e7). */
export const CONSUMER_PARENT = 'svchost.exe';

/** The WMI provider host, whose start in a network logon's seconds makes the logon a WMI session. */
export const WMI_PROVIDER_HOST = 'wmiprvse.exe';

/**
 * How long after a remote WMI session a consumer host's start is taken for that session's consumer
 * (seconds): a consumer registered with a polling filter (`WITHIN 10`, `WITHIN 60`) or on a timer
 * fires within a minute or two of its registration; a start minutes later is not tied by time.
 * The same span as models/remote-starts.ts' FOLLOW_ON_SECONDS.
 */
export const CONSUMER_SECONDS = 300;
