-- Microsoft Orleans 10.4.2 on PostgreSQL: the query catalogue, cluster membership (ADO.NET clustering) and reminders
-- (ADO.NET reminders), invariant "Npgsql". The providers read their SQL from orleansquery by key and read results by
-- column name, so names and parameter names follow the provider's contract (dotnet/orleans src/AdoNet, the
-- PostgreSQL Main/Clustering/Reminders scripts of the 10.x line: no MetadataJson column, no cron/priority reminder
-- columns). Grain state is not here: it stays in grain_state, written by the server's own IGrainStorage.

CREATE TABLE OrleansQuery (
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- One row per cluster (DeploymentId = ClusterOptions.ClusterId); Version is the membership table's optimistic token.
CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation). Status 3 = Active, 6 = Dead.
CREATE TABLE OrleansMembershipTable (
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Inserting or updating a silo row bumps the version row in the same statement; either both change or neither
-- (the functions answer 1 or 0, which the provider reads as success or a lost race).
CREATE FUNCTION orleans_insert_membership_version(deployment varchar)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (deployment) ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END $$;

CREATE FUNCTION orleans_insert_membership(
    deployment varchar, address_arg varchar, port_arg integer, generation_arg integer, silo_name varchar,
    host_name varchar, status_arg integer, proxy_port integer, start_time timestamptz, i_am_alive timestamptz,
    version_arg integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    UPDATE OrleansMembershipVersionTable SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = deployment AND Version = version_arg;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES (deployment, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port,
                start_time, i_am_alive)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        -- The silo row already exists: undo the version bump.
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'orleans: duplicate membership row';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION WHEN SQLSTATE 'P0001' THEN
    RETURN QUERY SELECT 0;
END $$;

CREATE FUNCTION orleans_update_membership(
    deployment varchar, address_arg varchar, port_arg integer, generation_arg integer, status_arg integer,
    suspect_times varchar, i_am_alive timestamptz, version_arg integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    UPDATE OrleansMembershipVersionTable SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = deployment AND Version = version_arg;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE OrleansMembershipTable
        SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = i_am_alive
        WHERE DeploymentId = deployment AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'orleans: no such membership row';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION WHEN SQLSTATE 'P0001' THEN
    RETURN QUERY SELECT 0;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),
('InsertMembershipVersionKey', '
    SELECT * FROM orleans_insert_membership_version(@DeploymentId);
'),
('InsertMembershipKey', '
    SELECT * FROM orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
'),
('UpdateMembershipKey', '
    SELECT * FROM orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version);
'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status = 6;
'),
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6
      AND Address = @Address AND Port = @Port AND Generation = @Generation;
');

-- Reminders: one row per (service, grain, reminder name); GrainHash places the row in the silo ring's ranges.
CREATE TABLE OrleansRemindersTable (
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
            Version = r.Version + 1
    RETURNING r.Version AS version;
'),
('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),
('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),
('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),
('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
('DeleteReminderRowKey', '
    WITH gone AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM gone;
'),
('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
');
