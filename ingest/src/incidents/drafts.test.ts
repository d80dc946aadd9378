import { describe, expect, it } from 'vitest';
import {
  draftCameraIncidents,
  draftRiverIncidents,
  type WrittenCameraAlert,
  type WrittenRiverReport,
} from './drafts.ts';
import { DEFAULT_INCIDENT_RULES as rules } from './rules.ts';

const alert = (over: Partial<WrittenCameraAlert> = {}): WrittenCameraAlert => ({
  id: 'fr:1',
  cameraId: 'cam-001',
  cameraName: '银杏路口',
  label: 'fire',
  topScore: 0.91,
  falsePositive: null,
  incidentId: null,
  lon: 121.62,
  lat: 29.75,
  gridId: 'grid-yinxue-01',
  communityId: 'yinxue',
  policePostId: 'pp-1',
  ...over,
});

const report = (over: Partial<WrittenRiverReport> = {}): WrittenRiverReport => ({
  messageId: 'r-1',
  segmentId: 'seg-01',
  segmentName: '中塘河一段',
  personId: 'p-0205',
  type: 'issue',
  issue: 'pollution',
  severity: null,
  note: '油污',
  lon: 121.61,
  lat: 29.74,
  gridId: null,
  communityId: 'yinxue',
  ...over,
});

describe('incident drafts from camera alerts', () => {
  it('drafts one incident per alert over the rules, located at the camera, titled by label and camera', () => {
    expect(draftCameraIncidents(rules, [alert()])).toEqual([
      {
        source: 'camera',
        sourceId: 'fr:1',
        category: 'fire',
        title: 'fire · 银杏路口',
        description: 'camera cam-001 detected fire (score 0.91)',
        severity: 'high',
        level: 'block',
        lon: 121.62,
        lat: 29.75,
        gridId: 'grid-yinxue-01',
        communityId: 'yinxue',
        segmentId: null,
        cameraId: 'cam-001',
        policePostId: 'pp-1',
        reportedBy: null,
      },
    ]);
  });

  it('drafts nothing for an alert that already opened one, is below the threshold, a false positive or not listed', () => {
    expect(
      draftCameraIncidents(rules, [
        alert({ incidentId: 'inc-x' }),
        alert({ topScore: 0.5 }),
        alert({ falsePositive: true }),
        alert({ label: 'car' }),
      ]),
    ).toEqual([]);
  });
});

describe('incident drafts from river reports', () => {
  it('drafts an incident for each issue report (not for patrol reports), reported by the chief', () => {
    const drafts = draftRiverIncidents(rules, [
      report(),
      report({ messageId: 'r-2', type: 'track', issue: null }),
    ]);
    expect(drafts).toEqual([
      {
        source: 'river',
        sourceId: 'r-1',
        category: 'pollution',
        title: '水体污染 · 中塘河一段',
        description: '油污',
        severity: 'high',
        level: 'block',
        lon: 121.61,
        lat: 29.74,
        gridId: null,
        communityId: 'yinxue',
        segmentId: 'seg-01',
        cameraId: null,
        policePostId: null,
        reportedBy: 'p-0205',
      },
    ]);
  });

  it("keeps the reported severity and names an issue without a kind as the river's generic problem", () => {
    const [d] = draftRiverIncidents(rules, [report({ issue: null, severity: 'medium' })]);
    expect(d).toMatchObject({ category: 'other', title: '河道问题 · 中塘河一段', severity: 'medium' });
  });
});
